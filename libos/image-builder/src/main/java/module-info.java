/**
 * Build-time tool that lays out an Atoll appliance image (DESIGN §7): a jlinked runtime holding
 * only the JDK modules the appliance needs, the appliance's modular jars, a launcher, the default
 * configuration, a manifest, and a byte-for-byte reproducible {@code .tar.gz} of it all.
 *
 * <p>jlink runs as a child process of the JDK running this tool, so the module needs nothing but
 * {@code java.base}.
 */
module atoll.build.image {
    exports atoll.build.image;
}
