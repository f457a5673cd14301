package atoll.libos.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Why a file or directory could not be used, in the operator's words: what start-up error lines
 * say after the path, so that they name the cause ("permission denied", "is a directory") and
 * never a Java exception class.
 */
public final class FileErrors {
    private FileErrors() {}

    /**
     * The reason {@code e} gives, without the path (the caller names it) and without class names:
     * "does not exist", "permission denied", "is not a directory", "already exists", or the
     * operating system's own words ("is a directory", "input/output error") in lower case.
     */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null && !f.getReason().isBlank()) {
            // The JDK leaves the reason empty for the types below and gives the C library's words
            // otherwise; code that names a reason (DirectoryStore's "is a directory") means it.
            return osWords(f.getReason());
        }
        return switch (e) {
            case NoSuchFileException _ -> "does not exist";
            case AccessDeniedException _ -> "permission denied";
            case NotDirectoryException _ -> "is not a directory";
            case FileAlreadyExistsException _ -> "already exists";
            case DirectoryNotEmptyException _ -> "is a directory that is not empty";
            case FileSystemLoopException _ -> "is part of a symbolic link loop";
            // FileSystemException's message without a reason is only the path repeated.
            case FileSystemException _ -> "input/output error";
            default -> e.getMessage() == null || e.getMessage().isBlank() ? "input/output error" : osWords(e.getMessage());
        };
    }

    /** "Is a directory" (the C library's strerror) as it reads in the middle of a sentence. */
    private static String osWords(String s) {
        String t = s.strip();
        if (t.length() > 1 && Character.isUpperCase(t.charAt(0)) && !Character.isUpperCase(t.charAt(1))) {
            t = t.substring(0, 1).toLowerCase(Locale.ROOT) + t.substring(1);
        }
        return t;
    }
}
