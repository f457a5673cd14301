package atoll.dns;

import atoll.dns.wire.Rdata;
import atoll.dns.zone.AnswerStyle;
import atoll.dns.zone.Zone;
import atoll.dns.zone.ZoneFileException;
import atoll.dns.zone.ZoneFileParser;
import atoll.dns.zone.ZoneSet;
import atoll.libos.runtime.StartupException;
import atoll.libos.store.FileErrors;
import atoll.libos.store.ReadOnlyStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the zones named by the {@code zones} key into a {@link ZoneSet}, at start-up and on
 * reload. Zone files are read as octets (RFC 1035 §5.1; {@link ZoneFileParser#parse(byte[],
 * String, atoll.dns.wire.Name)}). Any problem is one line: {@code file:line: what} for the
 * contents, the file and its cause for a file that cannot be read.
 */
final class ZoneLoader {
    private ZoneLoader() {}

    /**
     * Zones loaded, and the lines to log about them (one per zone, then its warnings, each with
     * its level), held back so that a failed load logs only its one error.
     */
    record Loaded(ZoneSet zones, List<String> info, List<String> warnings) {}

    static Loaded load(List<ZoneSource> sources, ReadOnlyStore data) throws StartupException {
        return load(sources, data, AnswerStyle.MINIMAL);
    }

    /** The zones, their positive answers shaped by {@code style} ({@code answers.minimal}). */
    static Loaded load(List<ZoneSource> sources, ReadOnlyStore data, AnswerStyle style) throws StartupException {
        List<Zone> zones = new ArrayList<>();
        List<String> info = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (ZoneSource source : sources) {
            String where = source.embedded() ? source.embeddedKey() : source.path();
            Zone zone;
            try {
                zone = ZoneFileParser.parse(read(source, data), where, source.origin(),
                        ZoneIncludes.forSource(source, data));
            } catch (ZoneFileException e) {
                throw new StartupException(e.getMessage(), e);
            }
            if (!zone.origin().equals(source.origin())) {
                throw new StartupException(where + ": zone apex " + zone.origin()
                        + " differs from the origin " + source.origin() + " configured in 'zones'");
            }
            info.add("loaded zone " + zone.origin() + " from " + where + ": " + zone.recordCount()
                    + " records, serial " + ((Rdata.SOA) zone.soa().rdata()).serial());
            for (String warning : zone.warnings()) {
                warnings.add("zone " + zone.origin() + ": " + warning);
            }
            zones.add(zone);
        }
        return new Loaded(new ZoneSet(zones, style), List.copyOf(info), List.copyOf(warnings));
    }

    private static byte[] read(ZoneSource source, ReadOnlyStore data) throws StartupException {
        try {
            if (source.embedded()) {
                return data.read(source.embeddedKey());
            }
            return Files.readAllBytes(Path.of(source.path()));
        } catch (IOException e) {
            throw new StartupException("cannot read zone file " + source.path() + " (configuration key 'zones', origin "
                    + source.origin() + "): " + FileErrors.reason(e), e);
        } catch (IllegalArgumentException e) {
            // ZoneSource checks both forms when the key is parsed; this is the backstop.
            throw new StartupException("bad zone file name " + source.path() + " (configuration key 'zones'): "
                    + e.getMessage(), e);
        }
    }
}
