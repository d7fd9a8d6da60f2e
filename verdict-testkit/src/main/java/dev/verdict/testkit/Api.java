package dev.verdict.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A client of a running service over real HTTP, authenticating as one of the local users. */
public final class Api {

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Duration timeout;

    public Api(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(30));
    }

    /** A client whose requests may take up to {@code timeout}, for requests a test deliberately holds up. */
    public Api(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
    }

    /** A response: status, Content-Type and body. */
    public record Response(int status, String contentType, String body, HttpResponse<String> raw) {
        public boolean isProblem() {
            return contentType != null && contentType.startsWith("application/problem+json");
        }
    }

    public Response get(String user, String path) {
        return send(request(user, path).GET().build());
    }

    public Response post(String user, String path, String json, String... headers) {
        HttpRequest.Builder builder = request(user, path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder.build());
    }

    public Response send(String user, String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder builder = request(user, path).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder.build());
    }

    private HttpRequest.Builder request(String user, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
        if (user != null) {
            builder.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
        }
        return builder;
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
