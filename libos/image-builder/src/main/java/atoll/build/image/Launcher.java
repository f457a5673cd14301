package atoll.build.image;

import java.util.List;

/** The POSIX sh launcher {@code bin/<name>}. */
public final class Launcher {

    private Launcher() {}

    /**
     * The launcher text. Options in {@code $ATOLL_JAVA_OPTS} come after the image's defaults so
     * that, for options where the JVM lets the last one win (-Xshare, -D, -Xmx), the operator's
     * choice wins.
     */
    public static String script(ImageSpec spec) {
        StringBuilder extra = new StringBuilder();
        for (String o : spec.javaOptions()) extra.append(" '").append(o).append('\'');
        return """
                #!/bin/sh
                # %1$s %2$s (target %3$s): launcher written by the Atoll image builder.
                # Arguments go to the appliance (--help lists its keys); $ATOLL_JAVA_OPTS adds JVM options.
                # The serial collector suits a single-purpose appliance on few cores; -Xshare:auto uses the
                # runtime's CDS archive (faster start-up) when the platform allows it.
                set -e
                self=$0
                # Follow symbolic links (e.g. from /usr/local/bin) to find the image directory.
                while [ -L "$self" ]; do
                  link=$(readlink "$self")
                  case $link in
                    /*) self=$link ;;
                    *) self=$(dirname "$self")/$link ;;
                  esac
                done
                HOME_DIR=$(cd "$(dirname "$self")/.." && pwd -P)
                # The launch instant (epoch ns; GNU date) lets the appliance report its start-up time.
                LAUNCHED=$(date +%%s%%N 2>/dev/null || true)
                exec "$HOME_DIR/runtime/bin/java" -XX:+UseSerialGC -Xshare:auto%6$s \\
                  -Datoll.config="$HOME_DIR/conf/%1$s.conf" -Datoll.home="$HOME_DIR" -Datoll.launched="$LAUNCHED" \\
                  ${ATOLL_JAVA_OPTS:-} \\
                  --module-path "$HOME_DIR/app" -m %4$s/%5$s "$@"
                """.formatted(spec.name(), spec.version(), spec.target(), spec.mainModule(), spec.mainClass(), extra);
    }

    /** The image-relative paths of files that must be executable besides jlink's own. */
    public static List<String> executables(ImageSpec spec) {
        return List.of("bin/" + spec.name());
    }
}
