/**
 * The gridworld environment: procedurally generated text mazes of keys and doors where the agent must collect keys,
 * open the doors they fit and reach the goal within a step budget, with a sparse outcome and an optimal solver that
 * checks every layout and demonstrates solutions.
 */
package dev.densify.env.gridworld;
