package dev.densify.core.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VariantTest {
    @Test
    void theDefaultComparisonsVariantsCanBeAskedForByTheNamesItPrints() {
        assertEquals(Variant.sparseVersusDense(), List.of(Variant.parse("sparse"), Variant.parse("dense")));
        assertEquals(Variant.parse("progress").overrides(), Variant.parse("dense").overrides());
    }

    @Test
    void aVariantIsABuiltInNameOrANameWithOverrides() {
        assertEquals(new Variant("alpha2", List.of("credit=progress", "credit.alpha=2")),
                Variant.parse("alpha2:credit=progress,credit.alpha=2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.parse("densest"));
        assertTrue(e.getMessage().contains("NAME:key=value") && e.getMessage().contains("dense"), e.getMessage());
    }
}
