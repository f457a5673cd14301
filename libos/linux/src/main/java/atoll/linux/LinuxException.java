package atoll.linux;

import java.io.IOException;

/**
 * A system call failed. The message names the call, what it was applied to, the C library's text
 * for the error ({@code strerror}) and its symbolic name, e.g. {@code open /dev/net/tun: No such
 * file or directory (ENOENT)}.
 */
public final class LinuxException extends IOException {
    private final String call;
    private final int errno;

    public LinuxException(String call, String subject, int errno) {
        super(call + (subject == null || subject.isEmpty() ? "" : " " + subject) + ": " + Syscalls.strerror(errno)
                + " (" + Errno.name(errno) + ")");
        this.call = call;
        this.errno = errno;
    }

    /** The failed call's name ({@code open}, {@code ioctl TUNSETIFF}, ...). */
    public String call() {
        return call;
    }

    /** The error number the call left in errno. */
    public int errno() {
        return errno;
    }
}
