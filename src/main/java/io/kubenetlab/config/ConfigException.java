package io.kubenetlab.config;

/**
 * Bad input: names the file, the field (a dotted path such as {@code spec.replicas}) and the reason,
 * so a user can fix it without reading our code.
 */
public class ConfigException extends RuntimeException {
    private final String file;
    private final int line;
    private final String field;
    private final String reason;

    public ConfigException(String file, int line, String field, String reason) {
        super(format(file, line, field, reason));
        this.file = file;
        this.line = line;
        this.field = field;
        this.reason = reason;
    }

    public ConfigException(String file, String field, String reason) {
        this(file, 0, field, reason);
    }

    private static String format(String file, int line, String field, String reason) {
        StringBuilder sb = new StringBuilder();
        if (file != null) sb.append(file);
        if (line > 0) sb.append(":").append(line);
        if (sb.length() > 0) sb.append(": ");
        if (field != null && !field.isEmpty()) sb.append(field).append(": ");
        sb.append(reason);
        return sb.toString();
    }

    public String file() { return file; }
    public int line() { return line; }
    public String field() { return field; }
    public String reason() { return reason; }
}
