package atoll.https;

import atoll.libos.runtime.Launcher;

/** Entry point of the https-static image: runs {@link HttpsStatic} on the target the image was built for. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(Launcher.run(new HttpsStatic(), BuildInfo.version(), args));
    }
}
