package atoll.conformance.dns;

import atoll.conformance.Image;
import atoll.conformance.ImageProcess;
import atoll.conformance.Peer;
import atoll.conformance.Ports;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** What the dns-server suites share: the image, dnsjava queries, and dig on the host. */
final class Dns {
    static final Image IMAGE = Image.of("dns-server");

    private Dns() {}

    static Message query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    static SimpleResolver resolver(int port, boolean tcp) {
        SimpleResolver r = new SimpleResolver(Ports.LOOPBACK);
        r.setPort(port);
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(2));
        return r;
    }

    /** Ready once www.example.com A is answered over UDP on loopback. */
    static ImageProcess.Probe answers(int port) {
        return () -> resolver(port, false).send(query("www.example.com.", Type.A)) != null;
    }

    /**
     * Starts the image on {@code port} with {@code args} (which name the {@code --listen}
     * addresses, 127.0.0.1 among them) and waits until it answers there.
     */
    static ImageProcess start(java.nio.file.Path log, int port, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--port=" + port));
        all.addAll(List.of(args));
        ImageProcess p = IMAGE.start(log, java.util.Map.of(), all);
        try {
            return p.await("an answer on port " + port, answers(port));
        } catch (Throwable t) {
            p.close();
            throw t;
        }
    }

    /** ISC dig (Debian dnsutils) on the host, bounded, without recursion; fails unless it exits 0. */
    static String dig(int port, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-p", String.valueOf(port), "+norecurse", "+tries=1", "+time=5"));
        all.addAll(List.of(args));
        return Peer.ok("dig", "dnsutils", all.toArray(String[]::new));
    }
}
