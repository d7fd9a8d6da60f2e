package dev.verdict.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape of {@code /actuator/prometheus} (the Prometheus text format), read the way Prometheus reads it: one sample
 * per line, {@code name{labels} value}. Plain Java, so any test module can use it.
 */
public final class PrometheusText {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");

    private final Map<String, Double> samples = new LinkedHashMap<>();
    private final String text;

    private PrometheusText(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            Matcher matcher = SAMPLE.matcher(line);
            if (!line.startsWith("#") && matcher.find()) {
                samples.put(matcher.group(1) + (matcher.group(2) == null ? "" : matcher.group(2)),
                        value(matcher.group(3)));
            }
        }
    }

    public static PrometheusText parse(String text) {
        return new PrometheusText(text);
    }

    private static double value(String value) {
        return switch (value) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value);
        };
    }

    /** Every metric name with at least one sample. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.keySet().forEach(key -> names.add(key.contains("{") ? key.substring(0, key.indexOf('{')) : key));
        return names;
    }

    /**
     * The sum of the samples of {@code name} whose labels include every given {@code label="value"} pair (0 when there
     * is none), as PromQL's {@code sum(name{...})} would give.
     */
    public double sum(String name, String... labels) {
        double sum = 0;
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            String key = sample.getKey();
            String sampleName = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
            if (!sampleName.equals(name)) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                matches &= key.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (matches) {
                sum += sample.getValue();
            }
        }
        return sum;
    }

    /** Whether any sample of {@code name} has every given label pair. */
    public boolean has(String name, String... labels) {
        for (String key : samples.keySet()) {
            String sampleName = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
            boolean matches = sampleName.equals(name);
            for (int i = 0; matches && i + 1 < labels.length; i += 2) {
                matches = key.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (matches) {
                return true;
            }
        }
        return false;
    }

    public Map<String, Double> samples() {
        return samples;
    }

    @Override
    public String toString() {
        return text;
    }
}
