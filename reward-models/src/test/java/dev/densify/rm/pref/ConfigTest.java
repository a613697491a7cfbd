package dev.densify.rm.pref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.config.ConfigValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTest {
    @Test
    void theDefaultsFollowFormulasMd() {
        RmSettings s = Synthetic.compose().group(RmSettings.GROUP).bind(RmSettings.class);
        assertEquals(0.1, s.alpha());
        assertEquals(0.1, s.margin());
        assertEquals(0.1, s.dropout());
        assertEquals(3e-4, s.headLr());
        assertEquals(1e-5, s.finetuneEncoderLr());
        assertEquals(1e-4, s.finetuneHeadLr());
        assertEquals("", s.encoder());
    }

    @Test
    void overridesApplyAndUnknownKeysAreRejected() {
        RmSettings s = Synthetic.compose("rm.epochs=3", "rm.head_hidden=[64,16]", "rm.modules=[planner,memory]")
                .group(RmSettings.GROUP).bind(RmSettings.class);
        assertEquals(3, s.epochs());
        assertEquals(List.of(64, 16), s.headHidden());
        assertEquals(List.of("planner", "memory"), s.modules());
        ConfigValidationException e = assertThrows(ConfigValidationException.class,
                () -> Synthetic.compose("rm.epoch=3"));
        assertTrue(e.getMessage().contains("rm.epoch"), e.getMessage());
        assertThrows(ConfigValidationException.class, () -> Synthetic.compose("trainer.iterations=3"));
    }

    @Test
    void outOfRangeValuesNameTheKey() {
        dev.densify.api.config.ConfigException e = assertThrows(dev.densify.api.config.ConfigException.class,
                () -> Synthetic.compose("rm.dropout=1.5").group(RmSettings.GROUP).bind(RmSettings.class));
        assertTrue(e.getMessage().contains("rm.dropout"), e.getMessage());
    }
}
