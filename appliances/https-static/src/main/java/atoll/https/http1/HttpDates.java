package atoll.https.http1;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** HTTP-date (RFC 9110 §5.6.7): IMF-fixdate out; IMF-fixdate, RFC 850 and asctime in. */
public final class HttpDates {
    private HttpDates() {}

    /** IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT, e.g. "Sun, 06 Nov 1994 08:49:37 GMT". */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** obsolete RFC 850 form: "Sunday, 06-Nov-94 08:49:37 GMT". */
    private static final DateTimeFormatter RFC_850 =
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** obsolete asctime form: "Sun Nov  6 08:49:37 1994". */
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    public static String format(Instant t) {
        return IMF_FIXDATE.format(t);
    }

    /** RFC 9110 §5.6.7: "Recipients of timestamp values are encouraged to be robust"; all three forms. */
    public static Optional<Instant> parse(String s) {
        for (DateTimeFormatter f : new DateTimeFormatter[] {IMF_FIXDATE, RFC_850, ASCTIME}) {
            try {
                return Optional.of(ZonedDateTime.parse(s.strip(), f).toInstant());
            } catch (DateTimeParseException notThisOne) {
                // try the next form
            }
        }
        return Optional.empty();
    }
}
