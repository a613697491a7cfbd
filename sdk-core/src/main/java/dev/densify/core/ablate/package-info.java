/**
 * Ablation: the same training budget run under several variants (sparse vs dense rewards by default) and
 * several seeds, compared on held-out success with confidence intervals over seeds.
 */
package dev.densify.core.ablate;
