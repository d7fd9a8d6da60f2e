package dev.verdict.local.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sustained command load on moderation-service over HTTP, each worker paced at a fixed rate (one request at a time:
 * a worker whose request hangs sends nothing meanwhile, and does not burst afterwards), recording every outcome. A 2xx is a promise: its command id (from the answer) must end up in the audit history exactly once. An
 * answer that never came (the service was killed mid-request) promises nothing, either way.
 */
final class LoadDriver implements AutoCloseable {

    /** A command the service accepted: what the audit history must contain. */
    record Accepted(String advertiserId, String commandId, long version) {
    }

    private static final Pattern COMMAND_ID = Pattern.compile("\"commandId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*(\\d+)");

    private final List<String> baseUrls;
    private final int workers;
    private final double ratePerWorker;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String authorization = "Basic " + Base64.getEncoder()
            .encodeToString("moderator1:moderator1".getBytes(StandardCharsets.UTF_8));
    private final List<Accepted> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final boolean notes;
    private final Duration requestTimeout;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private volatile boolean running;

    LoadDriver(String baseUrl, int workers, double ratePerWorker) {
        this(List.of(baseUrl), workers, ratePerWorker);
    }

    /** Workers spread over several instances: worker i sends to instance i modulo their number. */
    LoadDriver(List<String> baseUrls, int workers, double ratePerWorker) {
        this(baseUrls, workers, ratePerWorker, true, Duration.ofSeconds(10));
    }

    /**
     * With {@code notes} false, every command registers a new advertiser (nothing touches the notes' table); a
     * request unanswered after {@code requestTimeout} counts as "no answer".
     */
    LoadDriver(List<String> baseUrls, int workers, double ratePerWorker, boolean notes, Duration requestTimeout) {
        this.notes = notes;
        this.requestTimeout = requestTimeout;
        this.baseUrls = List.copyOf(baseUrls);
        this.workers = workers;
        this.ratePerWorker = ratePerWorker;
    }

    void start() {
        running = true;
        for (int w = 0; w < workers; w++) {
            int worker = w;
            Thread thread = new Thread(() -> work(worker), "load-" + w);
            threads.add(thread);
            thread.start();
        }
    }

    /** Stops sending and waits for the requests in flight to be answered or to time out. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join();
        }
        threads.clear();
    }

    List<Accepted> accepted() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    long acceptedCount() {
        return accepted.size();
    }

    Map<String, Long> outcomes() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        outcomes.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    long sent() {
        return outcomes.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Each worker registers its own advertisers and writes notes about them: every command is valid. */
    private void work(int worker) {
        Random random = new Random(worker * 7919L + System.nanoTime());
        List<String> registered = new ArrayList<>();
        long interval = (long) (1e9 / ratePerWorker);
        long next = System.nanoTime();
        int counter = 0;
        while (running) {
            // Open loop: the next request is due at its scheduled time, however long the last one took.
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            next += interval;
            if (System.nanoTime() - next > TimeUnit.SECONDS.toNanos(1)) {
                next = System.nanoTime(); // far behind (the service is away): do not burst when it returns
            }
            if (!notes || registered.isEmpty() || random.nextInt(5) == 0) {
                String id = "load-" + runId + "-" + worker + "-" + counter++;
                if (send(worker, "/api/v1/advertisers", """
                        {"advertiserId": "%s", "legalName": "Load %s", "country": "DE", "accountType": "BUSINESS"}
                        """.formatted(id, id), id)) {
                    registered.add(id);
                }
            } else {
                String id = registered.get(random.nextInt(registered.size()));
                send(worker, "/api/v1/advertisers/" + id + "/notes",
                        "{\"text\": \"reliability note " + counter++ + "\"}", id);
            }
        }
    }

    private boolean send(int worker, String path, String body, String advertiserId) {
        String baseUrl = baseUrls.get(worker % baseUrls.size());
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            count(status / 100 + "xx" + (status >= 400 ? " (" + status + ")" : ""));
            if (status / 100 == 2) {
                Matcher command = COMMAND_ID.matcher(response.body());
                Matcher version = VERSION.matcher(response.body());
                if (!command.find() || !version.find()) {
                    throw new IllegalStateException("a 2xx without command id or version: " + response.body());
                }
                accepted.add(new Accepted(advertiserId, command.group(1), Long.parseLong(version.group(1))));
                return true;
            }
        } catch (IOException e) {
            count("no answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        return false;
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
