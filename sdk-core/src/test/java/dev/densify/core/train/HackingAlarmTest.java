package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HackingAlarmTest {

    @Test
    void denseRewardsRisingWhileSuccessFallsFireTheAlarm() {
        HackingAlarm alarm = new HackingAlarm();
        double[] dense = {0.5, 0.6, 0.7, 0.9, 1.0, 1.2};
        double[] success = {0.5, 0.5, 0.45, 0.4, 0.35, 0.3};
        HackingAlarm.Verdict last = null;
        for (int i = 0; i < dense.length; i++) {
            last = alarm.observe(0.5, dense[i], success[i]);
        }
        assertTrue(last.fired());
        assertTrue(last.reason().contains("dense return"), last.reason());
    }

    @Test
    void denseRewardsThatFollowSuccessStaySilent() {
        HackingAlarm alarm = new HackingAlarm();
        for (int i = 0; i < 10; i++) {
            double success = 0.3 + 0.05 * i;
            assertFalse(alarm.observe(success, success, success).fired(), "iteration " + i);
        }
    }

    @Test
    void aNoisyButFlatRunStaysSilent() {
        HackingAlarm alarm = new HackingAlarm();
        double[] dense = {0.4, 0.6, 0.45, 0.62, 0.5, 0.58, 0.41, 0.63, 0.47};
        for (double d : dense) {
            assertFalse(alarm.observe(0.5, d, 0.5).fired());
        }
    }

    @Test
    void anOverOptimisticRisingCriticFiresTheAlarm() {
        HackingAlarm alarm = new HackingAlarm();
        double[] value = {0.5, 0.8, 0.85, 0.9};
        HackingAlarm.Verdict last = null;
        for (double v : value) {
            last = alarm.observe(v, 0.4, 0.4);
        }
        assertTrue(last.fired());
        assertTrue(last.reason().contains("critic"), last.reason());
    }
}
