package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.densify.api.API;
import org.junit.jupiter.api.Test;

class InternalExposureRuleTest {
    @API(status = API.Status.INTERNAL, since = "0.2")
    public static final class Hidden {
    }

    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public static final class ReturnsHidden {
        public Hidden get() {
            return new Hidden();
        }
    }

    @API(status = API.Status.STABLE, since = "0.2")
    public static final class TakesHiddenArrays {
        public void put(Hidden[] values) {
        }
    }

    @API(status = API.Status.STABLE, since = "0.2")
    public static final class KeepsHiddenPrivate {
        private Hidden hidden = new Hidden();

        Hidden packageOnly() {
            return hidden;
        }
    }

    @API(status = API.Status.INTERNAL, since = "0.2")
    public static final class InternalMayUseInternal {
        public Hidden get() {
            return new Hidden();
        }
    }

    private static EvaluationResult check(Class<?>... types) {
        return PluginArchitecture.publicSignaturesExposeNoInternalType()
                .evaluate(new ClassFileImporter().importClasses(types));
    }

    @Test
    void aPublicMethodReturningAnInternalTypeViolatesTheRule() {
        EvaluationResult result = check(ReturnsHidden.class, Hidden.class);
        assertTrue(result.hasViolation());
        assertTrue(result.getFailureReport().toString().contains("ReturnsHidden.get() returns"),
                result.getFailureReport().toString());
    }

    @Test
    void anArrayOfAnInternalTypeInAParameterViolatesTheRule() {
        assertTrue(check(TakesHiddenArrays.class, Hidden.class).hasViolation());
    }

    @Test
    void privateAndPackageMembersAndInternalTypesMayUseInternalOnes() {
        assertFalse(check(KeepsHiddenPrivate.class, InternalMayUseInternal.class, Hidden.class).hasViolation());
    }
}
