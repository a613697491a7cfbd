/**
 * The tool-use environment: multi-step questions answered by calling tools written as open text (a calculator, lookup
 * tables, a unit converter, a small document store) and finishing with an answer; malformed calls get an error
 * observation, only the right final answer succeeds, and a solver that knows each template's plan demonstrates it.
 */
package dev.densify.env.tooluse;
