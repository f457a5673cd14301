package atoll.build.image;

import java.util.ArrayList;
import java.util.List;

/** The POSIX sh launcher {@code bin/<name>}. */
public final class Launcher {

    private Launcher() {}

    /**
     * Memory sizes for a single-purpose appliance, from measurements of dns-server (perf/memory,
     * perf/README.md): its live heap is its data (about 0.6 KiB per zone record, twice that while a
     * reload builds the new copy) plus per-connection state, a few MiB for the embedded zone.
     * <ul>
     *   <li>{@code -Xms8m}: start small; the serial collector grows the heap only when the live set
     *       needs it, so the young generation (where per-query garbage dies) stays a few MiB and
     *       RSS under load stays near idle, instead of the JVM's default initial heap of 1/64 of
     *       the machine's memory.
     *   <li>{@code -Xmx128m}: the hard cap on heap, room for zones of about 100 000 records with a
     *       reload in progress; larger data needs {@code ATOLL_JAVA_OPTS=-Xmx...}.
     *   <li>{@code -XX:MaxMetaspaceSize=32m}: class metadata measured at under 4 MiB.
     *   <li>{@code -XX:MaxDirectMemorySize=32m}: NIO's own direct buffers. The pooled packet buffers
     *       are {@code MemorySegment}s from an arena, which this limit does not cover: the pool
     *       pools bound them themselves (the socket target: {@code socket.buffers} plus
     *       {@code socket.tcp-buffers}, times {@code socket.buffer-size}).
     *   <li>{@code -XX:TrimNativeHeapInterval=2000}: every 2 s the JVM hands the C heap's free
     *       memory back to the kernel ({@code malloc_trim}). Start-up's JIT compilations take about
     *       5 MiB of arena chunks; the JVM frees them within 5 s but the C library kept the pages, so
     *       an idle dns-server stayed at about 52 MiB instead of about 47.5 MiB (perf/README.md,
     *       "Memory after start-up"). The trim runs on the JVM's own thread, off the request path.
     * </ul>
     * Measured and rejected (no gain, or a cost on the request path): smaller thread stacks
     * ({@code -Xss256k}), a smaller young generation ({@code -Xmn2m}), {@code -XX:-UsePerfData},
     * {@code MALLOC_ARENA_MAX=1}, a smaller code cache, compact object headers (all within
     * ±0.5 MiB); {@code -XX:TieredStopAtLevel=1} (−1.4 MiB, but no C2 on the hot path).
     */
    public static final List<String> MEMORY_OPTIONS = List.of("-Xms8m", "-Xmx128m", "-XX:MaxMetaspaceSize=32m",
            "-XX:MaxDirectMemorySize=32m", "-XX:TrimNativeHeapInterval=2000");

    /** The serial collector suits a single-purpose appliance on few cores. */
    public static final String GC_OPTION = "-XX:+UseSerialGC";

    /**
     * The command an OCI image starts with, for an image laid out at {@code home} (absolute, in the
     * container): the same JVM and appliance options as {@link #script}, without a shell. An image
     * without a shell cannot run the script, so the container runs {@code runtime/bin/java}
     * directly. What the script adds at run time is left out: {@code ATOLL_JAVA_OPTS} (a container
     * engine passes JVM options through {@code JAVA_TOOL_OPTIONS}, which the JVM reads itself), the
     * AOT cache (it is bound to a writable image directory; the runtime's CDS archive is used) and
     * the launch instant (no {@code date} to take it with).
     */
    public static List<String> containerEntrypoint(ImageSpec spec, String home) {
        List<String> cmd = new ArrayList<>();
        cmd.add(home + "/runtime/bin/java");
        cmd.add(GC_OPTION);
        cmd.addAll(MEMORY_OPTIONS);
        cmd.addAll(spec.javaOptions());
        cmd.add("-Datoll.config=" + home + "/conf/" + spec.name() + ".conf");
        cmd.add("-Datoll.home=" + home);
        cmd.addAll(List.of("--module-path", home + "/app", "-m", spec.mainModule() + "/" + spec.mainClass()));
        return cmd;
    }

    /**
     * The launcher text. The image's defaults ({@link #MEMORY_OPTIONS}, then the spec's options)
     * come first and {@code $ATOLL_JAVA_OPTS} last, so that for options where the JVM lets the last
     * one win (-Xmx, -XX:..., -Xshare, -D) the operator's choice wins.
     */
    public static String script(ImageSpec spec) {
        StringBuilder extra = new StringBuilder();
        for (String o : MEMORY_OPTIONS) extra.append(' ').append(o);
        for (String o : spec.javaOptions()) extra.append(" '").append(o).append('\'');
        return """
                #!/bin/sh
                # %1$s %2$s (target %3$s): launcher written by the Atoll image builder.
                # Arguments go to the appliance (--help lists its keys); $ATOLL_JAVA_OPTS adds JVM options
                # after the defaults, so its -Xmx and -XX settings win.
                # The serial collector suits a single-purpose appliance on few cores. The memory options
                # cap heap, metaspace and NIO direct memory (see the README's Memory section).
                # Start-up cache: cache/%1$s.aot is a JDK 25 AOT cache (JEP 483/514/515) made for this
                # directory (the JVM refuses it if the image moves); made by the build's training run or,
                # where cache/ is writable, by the first start here (a slower first stop: the JVM writes
                # it at exit). ATOLL_AOT_CACHE=off runs without it (then the runtime's CDS archive is used).
                # Signals: TERM/INT stop in order, HUP reloads, USR1 logs the metrics line, USR2 is logged.
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
                AOT=
                CACHE="$HOME_DIR/cache/%1$s.aot"
                if [ "${ATOLL_AOT_CACHE:-on}" != off ] && [ -d "$HOME_DIR/cache" ]; then
                  if [ -f "$CACHE" ] && [ "$(cat "$CACHE.home" 2>/dev/null)" = "$HOME_DIR" ]; then
                    AOT="-XX:AOTCache=$CACHE"
                  elif [ -w "$HOME_DIR/cache" ]; then
                    case " $* " in
                      *" --help "*|*" --version "*) ;;
                      *) rm -f "$CACHE"; printf '%%s\\n' "$HOME_DIR" >"$CACHE.home"; AOT="-XX:AOTCacheOutput=$CACHE" ;;
                    esac
                  fi
                fi
                # The launch instant (epoch ns; GNU date) lets the appliance report its start-up time.
                LAUNCHED=$(date +%%s%%N 2>/dev/null || true)
                exec "$HOME_DIR/runtime/bin/java" %7$s%6$s ${AOT:+"$AOT"} \\
                  -Datoll.config="$HOME_DIR/conf/%1$s.conf" -Datoll.home="$HOME_DIR" -Datoll.launched="$LAUNCHED" \\
                  ${ATOLL_JAVA_OPTS:-} \\
                  --module-path "$HOME_DIR/app" -m %4$s/%5$s "$@"
                """.formatted(spec.name(), spec.version(), spec.target(), spec.mainModule(), spec.mainClass(), extra, GC_OPTION);
    }

    /** The image-relative paths of files that must be executable besides jlink's own. */
    public static List<String> executables(ImageSpec spec) {
        return List.of("bin/" + spec.name());
    }
}
