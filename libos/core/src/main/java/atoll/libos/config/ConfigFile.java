package atoll.libos.config;

import atoll.libos.store.FileErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed configuration file: UTF-8 text, one {@code key = value} per line, {@code #} starts a
 * comment line, blank lines are ignored, and spaces around keys and values are trimmed. A value
 * may contain {@code =} and {@code #} (only a line whose first non-blank character is {@code #} is
 * a comment). Keys are not checked against the declarations here; {@link Config#of} does that.
 *
 * @param source the file name used in error messages
 * @param values the raw values, in file order
 * @param lines the line each key was set on
 */
public record ConfigFile(String source, Map<String, String> values, Map<String, Integer> lines) {
    public ConfigFile {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        lines = Collections.unmodifiableMap(new LinkedHashMap<>(lines));
    }

    /** An empty file, for when there is no configuration file at all. */
    public static ConfigFile empty() {
        return new ConfigFile("(none)", Map.of(), Map.of());
    }

    /**
     * Reads and parses {@code file}.
     *
     * @throws ConfigException if it cannot be read, is not UTF-8, or has a malformed line or a
     *     key set twice; the message names {@code file:line}
     */
    public static ConfigFile read(Path file) throws ConfigException {
        return read(file, null);
    }

    /**
     * Reads and parses {@code file}, which {@code namedBy} named ({@code --config}, say: said in the
     * error when the file cannot be read, so the operator knows which setting to fix).
     *
     * @throws ConfigException as {@link #read(Path)}
     */
    public static ConfigFile read(Path file, String namedBy) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            // One line naming the file, the cause and what is expected: no exception class names.
            throw new ConfigException(null, "cannot read the config file " + file
                    + (namedBy == null ? "" : " (" + namedBy + ")") + ": "
                    + FileErrors.reason(e) + "; expected a readable file of 'key = value' lines");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(null, "config file " + file + " is not valid UTF-8");
        }
        return parse(file.toString(), text);
    }

    /**
     * Parses configuration text.
     *
     * @param source name for error messages (usually the file's path)
     * @throws ConfigException for a malformed line or a key set twice, naming {@code source:line}
     */
    public static ConfigFile parse(String source, String text) throws ConfigException {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        String[] all = text.split("\r?\n", -1);
        for (int i = 0; i < all.length; i++) {
            int lineNo = i + 1;
            String line = all[i].strip();
            if (lineNo == 1 && line.startsWith("\uFEFF")) { // a byte order mark some editors write
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new ConfigException(null, source + ":" + lineNo + ": expected 'key = value', got '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
                throw new ConfigException(null, source + ":" + lineNo + ": expected 'key = value', got '" + line + "'");
            }
            Integer earlier = lines.putIfAbsent(key, lineNo);
            if (earlier != null) {
                // Last-wins would silently hide a typo'd copy; make the operator pick one.
                throw new ConfigException(key, source + ":" + lineNo + ": key '" + key + "' is already set at line " + earlier);
            }
            values.put(key, value);
        }
        return new ConfigFile(source, values, lines);
    }

    /** {@code source:line} where {@code key} was set, or null if this file does not set it. */
    public String where(String key) {
        Integer line = lines.get(key);
        return line == null ? null : source + ":" + line;
    }
}
