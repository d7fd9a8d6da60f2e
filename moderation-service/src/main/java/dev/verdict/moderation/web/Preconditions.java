package dev.verdict.moderation.web;

import dev.verdict.servicekit.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A precondition is never ignored. A client that sends If-Match expects nothing to happen unless it holds; an
 * endpoint that creates something new (an advertiser, a policy version, a bulk of decisions) has no current version
 * to compare, so the precondition cannot hold and the request is refused (412) instead of executed regardless. A
 * malformed Idempotency-Key is refused (400) on every command, whether or not the endpoint uses it.
 */
@Configuration(proxyBeanMethods = false)
class Preconditions implements WebMvcConfigurer, HandlerInterceptor {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || !"POST".equals(request.getMethod())) {
            return true;
        }
        CommandHeaders.idempotencyKey(request.getHeader("Idempotency-Key"));
        if (request.getHeader("If-Match") != null && !takesIfMatch(method)) {
            throw new ApiException(HttpStatus.PRECONDITION_FAILED, "precondition-not-applicable",
                    "If-Match names a version, and this request creates something that has none yet: "
                            + "send it without If-Match");
        }
        return true;
    }

    private static boolean takesIfMatch(HandlerMethod method) {
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
            if (header != null && ("If-Match".equalsIgnoreCase(header.name())
                    || "If-Match".equalsIgnoreCase(header.value()))) {
                return true;
            }
        }
        return false;
    }
}
