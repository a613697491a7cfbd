package dev.densify.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * States how stable a public type is, so that plugin authors know what they may build against.
 * Every public type of densify carries it; an ArchUnit test fails the build when one does not.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@API(status = API.Status.STABLE, since = "0.1")
public @interface API {

    /** How stable the annotated type is. */
    Status status();

    /** The densify version in which the type reached this status. */
    String since();

    /** Stability levels, after JUnit's apiguardian. */
    @API(status = API.Status.STABLE, since = "0.1")
    enum Status {
        /** Will not change incompatibly within a major version. */
        STABLE,
        /** Open to change in any release; feedback welcome. */
        EXPERIMENTAL,
        /** Public for technical reasons only; not for use outside densify. */
        INTERNAL
    }
}
