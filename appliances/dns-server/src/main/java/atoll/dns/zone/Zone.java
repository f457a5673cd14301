package atoll.dns.zone;

/** Placeholder: replaced by the zone work. */
public final class Zone {}
