package dev.verdict.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generates requests that must all be refused: each starts from a request the service would accept (a target) and
 * breaks it in one way that no valid request has: a body that is not JSON or cut short, nesting 10,000 deep, a field
 * of the wrong JSON type, a string with control characters, a lone surrogate or 100,000 characters, a path id that
 * is malformed or unknown, a wrong media type, a bad precondition or idempotency key, missing or wrong
 * credentials, or a role without the right. Sent concurrently; the answers are tallied for the test to judge.
 */
public final class HostileRequests {

    /**
     * A request the service accepts as it stands. {@code pathIds} are the segments of the path that are ids;
     * {@code badQuery} gives, per query parameter, values it must refuse.
     */
    public record Target(String user, String method, String path, List<String> pathIds, String validBody,
                         Map<String, List<String>> badQuery) {

        public Target(String user, String method, String path, List<String> pathIds, String validBody) {
            this(user, method, path, pathIds, validBody, Map.of());
        }

        /** A read, broken through its path ids and query parameters. */
        public static Target read(String user, String path, List<String> pathIds,
                                  Map<String, List<String>> badQuery) {
            return new Target(user, "GET", path, pathIds, null, badQuery);
        }
    }

    /** One generated request, with what was broken. */
    public record Request(String user, String password, String method, String path, Map<String, String> headers,
                          byte[] body, String mutation) {
    }

    /** The answers: status counts, and every answer that was not a refusal as the standards require. */
    public record Tally(Map<Integer, Integer> statuses, List<String> failures, int sent) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Writes every non-ASCII character as a JSON escape, so that a lone surrogate reaches the service as such. */
    private static final com.fasterxml.jackson.databind.ObjectWriter ESCAPING = JSON.writer()
            .with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private HostileRequests() {
    }

    public static Arbitrary<Request> of(List<Target> targets, String forbiddenUser) {
        Arbitrary<Target> target = Arbitraries.of(targets);
        return target.flatMap(t -> Arbitraries.oneOf(bodyMutations(t), pathMutations(t), headerMutations(t),
                credentialMutations(t, forbiddenUser)));
    }

    private static Request request(Target target, String path, Map<String, String> headers, byte[] body,
                                   String mutation) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Content-Type", "application/json");
        all.putAll(headers);
        return new Request(target.user(), target.user(), target.method(), path, all, body, mutation);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Arbitrary<Request> bodyMutations(Target target) {
        if (target.validBody() == null) {
            return queryMutations(target);
        }
        String valid = target.validBody().strip();
        Arbitrary<Request> truncated = Arbitraries.integers().between(0, valid.length() - 1)
                .map(cut -> request(target, target.path(), Map.of(), utf8(valid.substring(0, cut)),
                        "the body cut at " + cut));
        Arbitrary<Request> garbage = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64)
                .map(bytes -> request(target, target.path(), Map.of(), bytes, "random bytes"));
        Arbitrary<Request> wrongTop = Arbitraries.of("[]", "\"text\"", "42", "null", "true", "[{}]", "{}{}", "{")
                .map(body -> request(target, target.path(), Map.of(), utf8(body), "the body " + body));
        Arbitrary<Request> deep = Arbitraries.of("[", "{\"a\":").map(open -> request(target, target.path(),
                Map.of(), utf8(open.repeat(10_000)), "nesting 10,000 deep"));
        List<String> fields = fieldPaths(valid);
        Arbitrary<Request> field = Combinators.combine(Arbitraries.of(fields), badValues())
                .as((fieldPath, bad) -> {
                    JsonNode tree = parse(valid);
                    boolean replaced = replace(tree, fieldPath, bad);
                    return request(target, target.path(), Map.of(), utf8(write(tree)),
                            (replaced ? "" : "(no-op) ") + fieldPath + " = " + abbreviate(bad.toString()));
                });
        List<String> times = fields.stream().filter(path -> isTime(parse(valid).at(path))).toList();
        Arbitrary<Request> time = times.isEmpty() ? field : Combinators.combine(Arbitraries.of(times), badTimes())
                .as((fieldPath, bad) -> {
                    JsonNode tree = parse(valid);
                    replace(tree, fieldPath, NODES.textNode(bad));
                    return request(target, target.path(), Map.of(), utf8(write(tree)), fieldPath + " = " + bad);
                });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, field), net.jqwik.api.Tuple.of(2, time), net.jqwik.api.Tuple.of(2, truncated),
                net.jqwik.api.Tuple.of(1, garbage), net.jqwik.api.Tuple.of(1, wrongTop),
                net.jqwik.api.Tuple.of(1, deep));
    }

    private static Arbitrary<Request> queryMutations(Target target) {
        if (target.badQuery().isEmpty()) {
            return pathMutations(target);
        }
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        target.badQuery().forEach((name, values) -> values.forEach(v -> pairs.add(Map.entry(name, v))));
        return Arbitraries.of(pairs).map(pair -> request(target, target.path() + "?" + pair.getKey() + "="
                + java.net.URLEncoder.encode(pair.getValue(), StandardCharsets.UTF_8), Map.of(), null,
                "query " + pair.getKey() + "=" + pair.getValue()));
    }

    /** Whether a field of the valid body holds a time (an ISO-8601 UTC instant). */
    private static boolean isTime(JsonNode node) {
        if (!node.isTextual()) {
            return false;
        }
        try {
            java.time.Instant.parse(node.asText());
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    /**
     * Well-formed times that no time field accepts: years beyond four digits or before the Gregorian calendar, which
     * Java reads but PostgreSQL cannot hold or would store shifted by days.
     */
    private static Arbitrary<String> badTimes() {
        return Arbitraries.of("+300000-01-01T00:00:00Z", "-5000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
                "1582-10-14T00:00:00Z", "0000-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z");
    }

    /** Values that no field of any request accepts where the valid request has a scalar, array or object. */
    private static Arbitrary<JsonNode> badValues() {
        ObjectNode object = NODES.objectNode();
        object.put("nested", "object");
        ArrayNode array = NODES.arrayNode().add(1).add("two");
        return Arbitraries.of(object, array, NODES.textNode("\u0000\u0007 bell and null"),
                NODES.textNode("lone \uD800 surrogate"), NODES.textNode("x".repeat(100_000)),
                NODES.textNode("\u202Eright-to-left override\u0008"), NODES.numberNode(1e308), NODES.textNode(""));
    }

    private static Arbitrary<Request> pathMutations(Target target) {
        if (target.pathIds().isEmpty()) {
            return headerMutations(target);
        }
        Arbitrary<String> badId = Arbitraries.of("..", "%2e%2e%2f", "a".repeat(300), "%00", "%E2%80%AE",
                "00000000-0000-0000-0000-000000000000", java.util.UUID.randomUUID().toString(), "UPPER-CASE-ID",
                "%20", "x%0Ay", "%F0%9F%92%A3");
        return Combinators.combine(Arbitraries.of(target.pathIds()), badId).as((id, bad) -> {
            byte[] body = target.validBody() == null ? null : utf8(target.validBody());
            return request(target, target.path().replace(id, bad), Map.of(), body, "path id " + id + " -> " + bad);
        });
    }

    private static Arbitrary<Request> headerMutations(Target target) {
        byte[] body = target.validBody() == null ? null : utf8(target.validBody());
        Arbitrary<Map<String, String>> headers = Arbitraries.of(
                Map.of("Content-Type", "text/plain"), Map.of("Content-Type", "application/xml"),
                Map.of("Content-Type", "application/json; charset=latin-7"),
                Map.of("If-Match", "\"not-a-version\""), Map.of("If-Match", "\"999999\""),
                Map.of("Idempotency-Key", "k".repeat(500)), Map.of("Idempotency-Key", "semi;colon"),
                Map.of("Idempotency-Key", "  "));
        if (!target.method().equals("POST")) {
            headers = Arbitraries.of(Map.of("Accept", "application/xml"), Map.of("Accept", "image/png"));
        }
        return headers.map(h -> request(target, target.path(), h, body, "headers " + h));
    }

    private static Arbitrary<Request> credentialMutations(Target target, String forbiddenUser) {
        byte[] body = target.validBody() == null ? null : utf8(target.validBody());
        return Arbitraries.of("wrong password", "no credentials", "unknown user", "forbidden role")
                .map(kind -> {
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put("Content-Type", "application/json");
                    String user = target.user();
                    String password = target.user();
                    switch (kind) {
                        case "wrong password" -> password = "not-" + password;
                        case "no credentials" -> user = null;
                        case "unknown user" -> user = "mallory";
                        default -> {
                            user = forbiddenUser;
                            password = forbiddenUser;
                        }
                    }
                    return new Request(user, password, target.method(), target.path(), headers, body, kind);
                });
    }

    /** Sends {@code count} generated requests from {@code threads} threads and tallies the answers. */
    public static Tally send(String baseUrl, Arbitrary<Request> requests, int count, int threads) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sent = new AtomicInteger();
        // Generated up front, on this thread: jqwik's sampling is not meant to be shared between threads.
        List<Request> all = requests.sampleStream().limit(count).toList();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = t;
                work.add(pool.submit(() -> {
                    java.util.stream.IntStream.range(0, all.size()).filter(i -> i % threads == from)
                            .mapToObj(all::get).forEach(request -> {
                        HttpResponse<String> response = send(http, baseUrl, request);
                        sent.incrementAndGet();
                        int status = response.statusCode();
                        statuses.merge(status, 1, Integer::sum);
                        String type = response.headers().firstValue("Content-Type").orElse("");
                        boolean refused = status >= 400 && status < 500;
                        // 401 carries a challenge, and 406 answers a client that accepts no JSON at all.
                        boolean problem = type.startsWith("application/problem+json") || status == 401
                                || status == 406;
                        if (!refused || !problem) {
                            failures.add(status + " " + type + " for " + request.method() + " " + request.path()
                                    + " [" + request.mutation() + "] as " + request.user() + ": "
                                    + abbreviate(response.body()));
                        }
                    });
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        return new Tally(new java.util.TreeMap<>(statuses), List.copyOf(failures), sent.get());
    }

    private static HttpResponse<String> send(HttpClient http, String baseUrl, Request request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + request.path()))
                .timeout(Duration.ofSeconds(30));
        // Every generated header is one the JDK client sends; a refused one would turn the request valid.
        request.headers().forEach(builder::header);
        if (request.user() != null) {
            builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (request.user() + ":" + request.password()).getBytes(StandardCharsets.UTF_8)));
        }
        builder.method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("no answer to " + request.method() + " " + request.path() + " ["
                    + request.mutation() + "]", e);
        }
    }

    /** Every path to a value in the JSON (objects' fields and arrays' elements), as JSON pointers. */
    private static List<String> fieldPaths(String json) {
        List<String> paths = new ArrayList<>();
        collect(parse(json), "", paths);
        return paths;
    }

    private static void collect(JsonNode node, String pointer, List<String> paths) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                paths.add(pointer + "/" + name);
                collect(node.get(name), pointer + "/" + name, paths);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                paths.add(pointer + "/" + i);
                collect(node.get(i), pointer + "/" + i, paths);
            }
        }
    }

    private static boolean replace(JsonNode root, String pointer, JsonNode value) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
            return true;
        }
        if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), value);
            return true;
        }
        return false;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("a target's valid body is not JSON: " + json, e);
        }
    }

    private static String write(JsonNode tree) {
        try {
            return ESCAPING.writeValueAsString(tree);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Short, and printable: control characters and non-ASCII shown as escapes. */
    private static String abbreviate(String text) {
        String shortened = text.length() > 300 ? text.substring(0, 300) + "..." : text;
        StringBuilder printable = new StringBuilder();
        shortened.chars().forEach(c -> {
            if (c < 0x20 || c > 0x7e) {
                printable.append(String.format("\\u%04x", c));
            } else {
                printable.append((char) c);
            }
        });
        return printable.toString();
    }
}
