package io.github.eventsstats.api;

import jakarta.ws.rs.NameBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class or method as an admin endpoint: {@link AdminTokenFilter} lets a request
 * through only with {@code Authorization: Bearer <ADMIN_TOKEN>}. Without ADMIN_TOKEN the endpoint
 * answers 404, so an unconfigured service exposes no admin surface at all. The OpenAPI document
 * marks these operations with the {@value #SCHEME} security scheme ({@link AdminApiDocs}).
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AdminOnly {

    /** The OpenAPI security scheme of the admin endpoints. */
    String SCHEME = "admin-token";
}
