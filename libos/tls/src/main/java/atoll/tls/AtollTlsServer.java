package atoll.tls;

import atoll.tls.ServerIdentity.KeyKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Vector;
import java.util.function.LongSupplier;
import org.bouncycastle.tls.AbstractTlsServer;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.KeyExchangeAlgorithm;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.NewSessionTicket;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SessionParameters;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.crypto.util.PrivateKeyFactory;

/**
 * The per-connection policy Bouncy Castle's {@code TlsServerProtocol} asks: versions, groups,
 * cipher suites, which certificate (by SNI and the client's signature algorithms), ALPN, and
 * TLS 1.2 session resumption. One instance per connection.
 */
final class AtollTlsServer extends AbstractTlsServer {
    private static final System.Logger LOG = System.getLogger("atoll.tls");

    /**
     * Key exchange groups in the server's order: the post-quantum hybrid first (IETF
     * draft-ietf-tls-ecdhe-mlkem, codepoint 0x11EC), then X25519 (RFC 8446 §4.2.7) and secp256r1.
     */
    static final int[] GROUPS = {NamedGroup.X25519MLKEM768, NamedGroup.x25519, NamedGroup.secp256r1};
    /** TLS 1.2 ECDHE groups (RFC 8422 §5.1.1), server order. */
    static final int[] TLS12_GROUPS = {NamedGroup.x25519, NamedGroup.secp256r1};

    /** RFC 8446 §B.4, all three AEADs (TLS_AES_128_CCM_* left out as browsers do). */
    private static final int[] SUITES_13 = {
        CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384,
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    };
    /** TLS 1.2: ECDHE with AEAD only (RFC 5289, RFC 7905); RFC 9325 §4.2 recommends these. */
    private static final int[] SUITES_12_ECDSA = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    };
    private static final int[] SUITES_12_RSA = {
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    };

    private final TlsSettings settings;
    private final SessionCache sessions;
    /** RFC 5077 tickets, or null when resumption is off. */
    private final SessionTickets tickets;
    /** The client's session_ticket extension data: null if absent, empty to ask for a ticket. */
    private byte[] offeredTicket;
    private final LongSupplier nanoTime;
    private List<ServerIdentity> candidates;
    private String serverName;
    /** The TLS 1.2 ECDHE group (Bouncy Castle records the negotiated group for TLS 1.3 only). */
    private int tls12Group = -1;
    private volatile TlsSessionInfo info;
    /** Client authentication, or null: no certificate is asked for. */
    private ClientCertificates clientCertificates;
    private volatile java.security.cert.X509Certificate clientCertificate;

    AtollTlsServer(TlsCrypto crypto, TlsSettings settings, SessionCache sessions, SessionTickets tickets,
            LongSupplier nanoTime) {
        super(crypto);
        this.settings = settings;
        this.sessions = sessions;
        this.tickets = tickets;
        this.nanoTime = nanoTime;
        this.candidates = settings.identities();
    }

    /** Set once the handshake completes. */
    TlsSessionInfo info() {
        return info;
    }

    /** Asks every client for a certificate that validates against {@code c}. */
    AtollTlsServer requireClientCertificates(ClientCertificates c) {
        this.clientCertificates = c;
        return this;
    }

    /** The client's verified end-entity certificate, or null. */
    java.security.cert.X509Certificate clientCertificate() {
        return clientCertificate;
    }

    @Override
    public org.bouncycastle.tls.CertificateRequest getCertificateRequest() throws IOException {
        return clientCertificates == null ? null : clientCertificates.request(context);
    }

    @Override
    public void notifyClientCertificate(org.bouncycastle.tls.Certificate chain) throws IOException {
        if (clientCertificates == null) {
            super.notifyClientCertificate(chain);
            return;
        }
        clientCertificate = clientCertificates.verify(chain);
    }

    /** Exports asked for before the handshake: label and length (no context), and their results. */
    private String exportLabel;
    private int exportLength;
    private volatile byte[] exported;

    /**
     * Asks for RFC 5705 / RFC 8446 §7.5 keying material (no context) when the handshake completes:
     * Bouncy Castle allows the export only from inside notifyHandshakeComplete.
     */
    AtollTlsServer exportAtHandshake(String label, int length) {
        this.exportLabel = label;
        this.exportLength = length;
        return this;
    }

    private void exportRequested() {
        if (exportLabel != null) {
            exported = context.exportKeyingMaterial(exportLabel, null, exportLength);
        }
    }

    /** What {@link #exportAtHandshake} asked for, once the handshake completed; null before or if not asked. */
    byte[] exported() {
        return exported == null ? null : exported.clone();
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        // TLS 1.3 and 1.2 only (RFC 8996 deprecates 1.0 and 1.1).
        return ProtocolVersion.TLSv13.downTo(ProtocolVersion.TLSv12);
    }

    @Override
    public int[] getSupportedGroups() {
        return GROUPS.clone();
    }

    /** The server's group order wins, so X25519MLKEM768 is chosen whenever the client offers it. */
    @Override
    public boolean preferLocalSupportedGroups() {
        return true;
    }

    /**
     * TLS 1.2 ECDHE: only our classic groups, in our order (the hybrid is TLS 1.3 only). Bouncy
     * Castle's default takes the client's first curve whatever it is, and a client listing, say,
     * sect571r1 first then got internal_error, as the JDK has no such curve.
     */
    @Override
    protected int selectECDH(int minimumCurveBits) {
        int[] client = context.getSecurityParametersHandshake().getClientSupportedGroups();
        if (client == null) {
            // RFC 4492 §4: without the extension the server may choose any curve.
            tls12Group = NamedGroup.secp256r1;
            return tls12Group;
        }
        for (int g : TLS12_GROUPS) {
            for (int c : client) {
                if (c == g) {
                    tls12Group = g;
                    return g;
                }
            }
        }
        return -1;
    }

    /** So that ECDHE suites are only chosen when one of our TLS 1.2 groups is in common. */
    @Override
    protected int getMaximumNegotiableCurveBits() {
        return selectECDH(0) < 0 ? 0 : NamedGroup.getCurveBits(NamedGroup.secp256r1);
    }

    @Override
    protected boolean preferLocalCipherSuites() {
        return true;
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return suitesFor(true, true);
    }

    /** Decided after SNI: TLS 1.2 suites only for the key kinds the chosen certificates have. */
    @Override
    public int[] getCipherSuites() {
        return suitesFor(candidates.stream().anyMatch(i -> i.kind() == KeyKind.ECDSA_P256),
                candidates.stream().anyMatch(i -> i.kind() == KeyKind.RSA));
    }

    private int[] suitesFor(boolean ecdsa, boolean rsa) {
        List<Integer> suites = new ArrayList<>();
        for (int s : SUITES_13) {
            suites.add(s);
        }
        if (ecdsa) {
            for (int s : SUITES_12_ECDSA) {
                suites.add(s);
            }
        }
        if (rsa) {
            for (int s : SUITES_12_RSA) {
                suites.add(s);
            }
        }
        int[] all = suites.stream().mapToInt(Integer::intValue).toArray();
        return TlsUtils.getSupportedCipherSuites(getCrypto(), all);
    }

    @Override
    protected Vector getProtocolNames() {
        Vector<ProtocolName> names = new Vector<>();
        for (String p : settings.applicationProtocols()) {
            names.add(ProtocolName.asUtf8Encoding(p));
        }
        return names;
    }

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        offeredTicket = TlsUtils.getExtensionData(clientExtensions, ExtensionType.session_ticket);
        Vector<?> names = context.getSecurityParametersHandshake().getClientServerNames();
        if (names != null) {
            for (Object o : names) {
                ServerName sn = (ServerName) o;
                if (sn.getNameType() == NameType.host_name) {
                    // RFC 6066 §3: HostName is ASCII; "the trailing dot is not part of it".
                    serverName = new String(sn.getNameData(), StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
                }
            }
        }
        if (serverName != null) {
            List<ServerIdentity> matching = settings.identities().stream().filter(i -> i.matches(serverName)).toList();
            // RFC 6066 §3: a server that does not recognise the name may go on with its default.
            candidates = matching.isEmpty() ? List.of(settings.identities().getFirst()) : matching;
        } else {
            candidates = List.of(settings.identities().getFirst());
        }
    }

    @Override
    public Hashtable getServerExtensions() throws IOException {
        Hashtable ext = super.getServerExtensions();
        if (serverName != null && candidates.getFirst().matches(serverName)) {
            // RFC 6066 §3: a server that used the name "SHALL include an extension of type
            // server_name in the (extended) server hello", with empty extension_data.
            TlsExtensionsUtils.addServerNameExtensionServer(ext);
        }
        if (tickets != null && offeredTicket != null
                && !TlsUtils.isTLSv13(context.getSecurityParametersHandshake().getNegotiatedVersion())) {
            // RFC 5077 §3.2: the server that will send a NewSessionTicket "includes an empty
            // SessionTicket extension in the ServerHello".
            ext.put(ExtensionType.session_ticket, TlsUtils.EMPTY_BYTES);
        }
        return ext;
    }

    @Override
    public TlsCredentials getCredentials() throws IOException {
        SecurityParameters sp = context.getSecurityParametersHandshake();
        boolean tls13 = TlsUtils.isTLSv13(sp.getNegotiatedVersion());
        KeyKind required = null;
        if (!tls13) {
            required = switch (sp.getKeyExchangeAlgorithm()) {
                case KeyExchangeAlgorithm.ECDHE_ECDSA -> KeyKind.ECDSA_P256;
                case KeyExchangeAlgorithm.ECDHE_RSA -> KeyKind.RSA;
                default -> throw new TlsFatalAlert(AlertDescription.internal_error);
            };
        }
        Vector<?> clientSigAlgs = sp.getClientSigAlgs();
        if (clientSigAlgs == null) {
            // RFC 5246 §7.4.1.4.1: no extension means {sha1, <the key's algorithm>}; we sign with
            // SHA-256 at least, so such a TLS 1.2 client cannot be served.
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no signature_algorithms from the client");
        }
        // The client lists its algorithms by preference (RFC 8446 §4.2.3); take its first one we can sign with.
        for (Object o : clientSigAlgs) {
            int scheme = SignatureScheme.from((SignatureAndHashAlgorithm) o);
            for (ServerIdentity id : candidates) {
                if ((required == null || id.kind() == required) && canSign(id.kind(), scheme, tls13)) {
                    return signer(id, scheme, tls13);
                }
            }
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure, "no signature algorithm in common");
    }

    private static boolean canSign(KeyKind kind, int scheme, boolean tls13) {
        return switch (kind) {
            // RFC 8446 §4.2.3: in TLS 1.3 the ECDSA scheme names the curve; P-256 pairs with SHA-256.
            case ECDSA_P256 -> scheme == SignatureScheme.ecdsa_secp256r1_sha256;
            case RSA -> scheme == SignatureScheme.rsa_pss_rsae_sha256 || scheme == SignatureScheme.rsa_pss_rsae_sha384
                    || scheme == SignatureScheme.rsa_pss_rsae_sha512
                    // RFC 8446 §4.2.3: "RSASSA-PKCS1-v1_5 algorithms ... are not defined for use in signed
                    // TLS handshake messages" of 1.3; fine in 1.2.
                    || (!tls13 && (scheme == SignatureScheme.rsa_pkcs1_sha256
                            || scheme == SignatureScheme.rsa_pkcs1_sha384 || scheme == SignatureScheme.rsa_pkcs1_sha512));
        };
    }

    private TlsCredentials signer(ServerIdentity id, int scheme, boolean tls13) throws IOException {
        TlsCertificate[] certs = new TlsCertificate[id.chain().size()];
        try {
            for (int i = 0; i < certs.length; i++) {
                certs[i] = getCrypto().createCertificate(id.chain().get(i).getEncoded());
            }
        } catch (CertificateEncodingException e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, e);
        }
        Certificate certificate;
        if (tls13) {
            CertificateEntry[] entries = new CertificateEntry[certs.length];
            for (int i = 0; i < certs.length; i++) {
                entries[i] = new CertificateEntry(certs[i], null);
            }
            // RFC 8446 §4.4.2: the server's certificate_request_context is empty.
            certificate = new Certificate(TlsUtils.EMPTY_BYTES, entries);
        } else {
            certificate = new Certificate(certs);
        }
        SignatureAndHashAlgorithm alg = SignatureScheme.getSignatureAndHashAlgorithm(scheme);
        TlsCryptoParameters params = new TlsCryptoParameters(context);
        if (getCrypto() instanceof JcaTlsCrypto jca) {
            return new JcaDefaultTlsCredentialedSigner(params, jca, id.key(), certificate, alg);
        }
        return new BcDefaultTlsCredentialedSigner(params, (BcTlsCrypto) getCrypto(),
                PrivateKeyFactory.createKey(id.key().getEncoded()), certificate, alg);
    }

    // TLS 1.2 resumption by ticket (RFC 5077) or by session ID (Bouncy Castle's server resumes no
    // TLS 1.3 PSK: see CONFORMANCE.md).

    @Override
    public TlsSession getSessionToResume(byte[] sessionID) {
        if (tickets != null && offeredTicket != null && offeredTicket.length > 0 && sessionID != null
                && sessionID.length > 0) {
            // RFC 5077 §3.4: "If the server accepts the ticket and the Session ID is not empty, then
            // it MUST respond with the same Session ID present in the ClientHello." Bouncy Castle
            // echoes the ID of the session returned here. (A ticket offered with an empty session
            // ID cannot be resumed through Bouncy Castle's API: it decides resumption by session ID.)
            var state = tickets.open(offeredTicket, nanoTime.getAsLong());
            if (state.isPresent()) {
                try {
                    SessionParameters p = new SessionParameters.Builder()
                            .setCipherSuite(state.get().cipherSuite())
                            .setExtendedMasterSecret(state.get().extendedMasterSecret())
                            .setMasterSecret(getCrypto().createSecret(state.get().masterSecret()))
                            .setNegotiatedVersion(ProtocolVersion.TLSv12)
                            .setServerExtensions(null)
                            .build();
                    return TlsUtils.importSession(sessionID, p);
                } catch (IOException | RuntimeException unusable) {
                    LOG.log(System.Logger.Level.DEBUG, "session ticket not resumable", unusable);
                }
            }
        }
        return sessions.get(sessionID, nanoTime.getAsLong());
    }

    /** RFC 5077 §3.3: the state of this full TLS 1.2 handshake, sealed under the current ticket key. */
    @Override
    public NewSessionTicket getNewSessionTicket() throws IOException {
        SecurityParameters sp = context.getSecurityParametersHandshake();
        long now = nanoTime.getAsLong();
        // encrypt() hands the master secret to the encryptor without giving it up (extract() would).
        byte[] ticket = sp.getMasterSecret().encrypt((in, off, len) -> tickets.seal(new SessionTickets.State(
                sp.getCipherSuite(), sp.isExtendedMasterSecret(), java.util.Arrays.copyOfRange(in, off, off + len)), now));
        return new NewSessionTicket(tickets.lifetimeSeconds(), ticket);
    }

    @Override
    public byte[] getNewSessionID() {
        if (settings.sessionCacheSize() == 0) {
            return null;
        }
        // RFC 5246 §7.4.1.3: up to 32 bytes, chosen by the server.
        return context.getNonceGenerator().generateNonce(32);
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        exportRequested();
        SecurityParameters sp = context.getSecurityParametersConnection();
        TlsSession session = context.getSession();
        if (!TlsUtils.isTLSv13(sp.getNegotiatedVersion()) && session != null && session.isResumable()
                && !sp.isResumedSession()) {
            sessions.put(session, nanoTime.getAsLong());
        }
        ProtocolName alpn = sp.getApplicationProtocol();
        int group = sp.getNegotiatedGroup() >= 0 ? sp.getNegotiatedGroup()
                : sp.isResumedSession() ? -1 : tls12Group;
        info = new TlsSessionInfo(TlsUtils.isTLSv13(sp.getNegotiatedVersion()) ? "TLSv1.3" : "TLSv1.2", sp.getCipherSuite(),
                group >= 0 ? NamedGroup.getName(group) : "none",
                Optional.ofNullable(alpn).map(ProtocolName::getUtf8Decoding),
                Optional.ofNullable(serverName), sp.isResumedSession());
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, () -> "tls alert sent: " + AlertDescription.getText(description)
                + (message == null ? "" : " (" + message + ")"));
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        LOG.log(System.Logger.Level.DEBUG, () -> "tls alert received: " + AlertDescription.getText(description));
    }
}
