package atoll.build.image;

import java.util.List;

/** The image's {@code manifest.json}: written by hand, keys in a fixed order, so it is reproducible. */
public final class Manifest {

    private Manifest() {}

    /** The manifest text; {@code entries} sorted by path, as {@link ImageBuilder#scan} gives them. */
    public static String json(ImageSpec spec, JdkModules.Resolution modules, String jdkVersion, List<ImageBuilder.Entry> entries,
                              OciImage.Result oci) {
        StringBuilder b = new StringBuilder(8192);
        long total = 0;
        for (ImageBuilder.Entry e : entries) total += e.size();
        b.append("{\n");
        field(b, 1, "name", spec.name()).append(",\n");
        field(b, 1, "version", spec.version()).append(",\n");
        field(b, 1, "target", spec.target()).append(",\n");
        field(b, 1, "built", spec.timestamp().toString()).append(",\n");
        field(b, 1, "jdk", jdkVersion).append(",\n");
        field(b, 1, "main", spec.mainModule() + "/" + spec.mainClass()).append(",\n");
        list(b, "appModules", modules.appModules()).append(",\n");
        list(b, "jdkModules", modules.jdkModules()).append(",\n");
        indent(b, 1).append("\"size\": ").append(total).append(",\n");
        if (oci != null) {
            // The OCI image of runtime/, app/ and conf/ (not this file: it names the digest).
            indent(b, 1).append("\"oci\": {");
            b.append("\"reference\": ").append(quote(OciImage.reference(spec)));
            b.append(", \"digest\": ").append(quote(oci.manifestDigest()));
            b.append(", \"config\": ").append(quote(oci.configDigest()));
            b.append(", \"size\": ").append(oci.archiveSize());
            b.append(", \"layers\": [");
            for (int i = 0; i < oci.layers().size(); i++) {
                OciImage.Layer l = oci.layers().get(i);
                b.append(i == 0 ? "" : ", ").append("{\"digest\": ").append(quote(l.digest())).append(", \"size\": ").append(l.size()).append('}');
            }
            b.append("]},\n");
        }
        indent(b, 1).append("\"parts\": {\n");
        for (int i = 0; i < ImageBuilder.PARTS.size(); i++) {
            String part = ImageBuilder.PARTS.get(i);
            List<ImageBuilder.Entry> files = entries.stream().filter(e -> e.path().startsWith(part + "/")).toList();
            long size = files.stream().mapToLong(ImageBuilder.Entry::size).sum();
            indent(b, 2).append(quote(part)).append(": {\n");
            indent(b, 3).append("\"size\": ").append(size).append(",\n");
            indent(b, 3).append("\"files\": [");
            for (int j = 0; j < files.size(); j++) {
                ImageBuilder.Entry e = files.get(j);
                b.append(j == 0 ? "\n" : ",\n");
                indent(b, 4).append("{\"path\": ").append(quote(e.path()));
                if (e.link() != null) {
                    b.append(", \"link\": ").append(quote(e.link()));
                } else {
                    b.append(", \"size\": ").append(e.size()).append(", \"sha256\": ").append(quote(e.sha256()));
                }
                b.append('}');
            }
            b.append(files.isEmpty() ? "]\n" : "\n" + "  ".repeat(3) + "]\n");
            indent(b, 2).append(i + 1 < ImageBuilder.PARTS.size() ? "},\n" : "}\n");
        }
        indent(b, 1).append("}\n");
        b.append("}\n");
        return b.toString();
    }

    private static StringBuilder field(StringBuilder b, int depth, String key, String value) {
        return indent(b, depth).append(quote(key)).append(": ").append(quote(value));
    }

    private static StringBuilder list(StringBuilder b, String key, List<String> values) {
        indent(b, 1).append(quote(key)).append(": [");
        for (int i = 0; i < values.size(); i++) b.append(i == 0 ? "" : ", ").append(quote(values.get(i)));
        return b.append(']');
    }

    private static StringBuilder indent(StringBuilder b, int depth) {
        return b.append("  ".repeat(depth));
    }

    static String quote(String s) {
        return Json.quote(s);
    }
}
