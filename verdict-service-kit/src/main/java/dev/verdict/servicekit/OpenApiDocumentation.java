package dev.verdict.servicekit;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The OpenAPI 3 document both services serve at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}, from
 * the webjar in the jar): their two security schemes (HTTP Basic in the local profile, bearer JWT elsewhere), and
 * the RFC 9457 errors every operation can answer, as one shared {@code Problem} schema with Verdict's {@code code}
 * and, for {@code validation-failed}, the field errors.
 */
@AutoConfiguration
@ConditionalOnClass(OpenApiCustomizer.class)
public class OpenApiDocumentation {

    static final String PROBLEM = "Problem";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;

    @Bean
    OpenAPI verdictOpenApi(Environment environment) {
        String service = environment.getProperty("spring.application.name", "verdict");
        return new OpenAPI()
                .info(new Info().title("Verdict " + service).version("v1").description("""
                        Every error is application/problem+json (RFC 9457) with a stable machine-readable `code`; \
                        see the Problem schema. In the local profile, authenticate with HTTP Basic as one of the \
                        local users; elsewhere with a bearer JWT."""))
                .components(new Components()
                        .addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("basic").description("the local users (profile local only)"))
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").bearerFormat("JWT")
                                .description("roles in the `roles` claim, an advertiser's binding in `advertiser_id`"))
                        .addSchemas(PROBLEM, problemSchema()))
                .addSecurityItem(new SecurityRequirement().addList("basic"))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    /** Problem responses on every operation, and the command headers where commands are. */
    @Bean
    OpenApiCustomizer verdictProblemResponses() {
        return openApi -> {
            openApi.getComponents().addSchemas(PROBLEM, problemSchema());
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
                    .forEach((method, operation) -> document(path, method, operation)));
        };
    }

    private static void document(String path, PathItem.HttpMethod method, Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        ApiResponses responses = operation.getResponses();
        boolean command = operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> "header".equals(p.getIn()) && "If-Match".equalsIgnoreCase(p.getName()));
        if (command) {
            operation.addParametersItem(new HeaderParameter().name("Idempotency-Key").required(false)
                    .description("1 to 128 of A-Z a-z 0-9 . _ : -; the same key and body again get the first "
                            + "answer with 200 and record nothing, the same key with another body gets 422 "
                            + "idempotency-key-reused").schema(new StringSchema().maxLength(128)));
        }
        problem(responses, "400", "malformed-request, validation-failed (with field `errors`), invalid-cursor");
        problem(responses, "401", "unauthenticated: no or invalid credentials");
        problem(responses, "403", "forbidden: the caller's roles (or advertiser binding) do not allow this");
        if (path.contains("{")) {
            problem(responses, "404", "the resource named in the path does not exist (advertiser-not-found, "
                    + "decision-not-found, appeal-not-found, ...)");
        }
        if (method == PathItem.HttpMethod.POST) {
            problem(responses, "409", "a conflict with the current state (advertiser-exists, "
                    + "policy-version-exists, appeal-already-open, concurrent-modification, replay-running, ...)");
            problem(responses, "413", "payload-too-large: bodies over 1 MiB");
            problem(responses, "422", "a rule refused the request (appeal-window-closed, four-eyes-violation, "
                    + "decision-not-in-effect, idempotency-key-reused, ...)");
        }
        if (command) {
            problem(responses, "412", "stale-version: If-Match names a version the advertiser is no longer at");
        }
        // Whatever else is an error (a 4xx or 5xx springdoc found in the exception handlers) is a problem too.
        responses.forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                response.setContent(problemContent());
            }
        });
    }

    private static void problem(ApiResponses responses, String status, String description) {
        ApiResponse response = responses.get(status);
        if (response == null) {
            responses.addApiResponse(status, new ApiResponse().description(description).content(problemContent()));
        } else {
            response.setContent(problemContent());
        }
    }

    private static Content problemContent() {
        return new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(PROBLEM_REF)));
    }

    @SuppressWarnings("rawtypes")
    static Schema problemSchema() {
        Schema<?> fieldError = new ObjectSchema()
                .addProperty("field", new StringSchema().description("the request field, e.g. policy.clause"))
                .addProperty("message", new StringSchema());
        return new ObjectSchema()
                .description("RFC 9457 problem details with Verdict's stable machine-readable code")
                .addProperty("type", new StringSchema().format("uri")
                        .example("https://verdict.dev/problems/validation-failed"))
                .addProperty("title", new StringSchema().example("Bad Request"))
                .addProperty("status", new IntegerSchema().example(400))
                .addProperty("detail", new StringSchema().example("the request has invalid fields"))
                .addProperty("instance", new StringSchema().format("uri"))
                .addProperty("code", new StringSchema().description("stable, machine-readable: what went wrong")
                        .example("validation-failed"))
                .addProperty("errors", new ArraySchema().items(fieldError)
                        .description("for validation-failed: each invalid field and why"))
                .required(List.of("type", "title", "status", "code"));
    }
}
