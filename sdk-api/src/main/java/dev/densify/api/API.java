package dev.densify.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * States how stable a public type (or a method added to one later) is, so that plugin authors know what they may
 * build against. Every public type of densify carries it; an ArchUnit test fails the build when one does not, and
 * another when a STABLE or EXPERIMENTAL type names an INTERNAL one in its public signatures.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR})
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
        INTERNAL,
        /**
         * Still works but will be removed in the next major version; its javadoc names the replacement. Mark it
         * {@code @Deprecated} too, so that compilers warn its users.
         */
        DEPRECATED
    }

    /** For {@link Status#DEPRECATED}: the version that will remove it; empty otherwise. */
    String removal() default "";
}
