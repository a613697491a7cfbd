/**
 * PRIME's implicit process reward as a learned shaper ({@code shaper=implicit-prm}): a language model fitted online
 * to outcome labels, whose token log-ratio to a frozen copy of itself rewards each step.
 */
package dev.densify.rm.prime;
