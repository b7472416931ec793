package io.github.eventsstats.api;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A number parameter taken as a string (so that "abc" is a 400 naming it, not JAX-RS's 404): ASCII
 * digits only, as Java's parsers take any script's, and at most 18 of them, so that @Min and @Max
 * compare it exactly. The answer adds the bounds of those two to the message.
 */
@Documented
@Pattern(regexp = "^-?[0-9]{1,18}$")
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
public @interface WholeNumber {

    String message() default "must be a whole number";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
