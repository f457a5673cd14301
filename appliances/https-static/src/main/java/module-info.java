/** Atoll's static-site appliance: HTTPS (TLS 1.3/1.2, HTTP/1.1) for a site baked into the image. */
module atoll.https {
    requires atoll.libos;
    requires atoll.tls;

    exports atoll.https;
    exports atoll.https.http1;
    exports atoll.https.h2;
    exports atoll.https.serve;
    exports atoll.https.site;
}
