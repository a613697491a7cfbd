/**
 * The process environment: environments written in any language run as child processes that speak a JSON-lines
 * protocol over standard input and output (docs/process-protocol.md), with deadlines on every call, crashed and
 * misbehaving servers reported with what they wrote, and a reference server library in Python
 * ({@code META-INF/densify/process/densify_env.py}).
 */
package dev.densify.env.process;
