/**
 * The commands that train and judge policies: {@code train} (and resume), {@code eval} of a checkpoint on
 * held-out tasks, and {@code ablate}, the sparse-versus-dense comparison over several seeds.
 */
package dev.densify.cli.train;
