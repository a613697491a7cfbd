/**
 * The densify SDK contract: the types that environment, reward, critic and algorithm plugins build
 * against. It depends on nothing but the JDK and DJL's API, so a plugin jar stays small and a change in
 * densify's engine never breaks it.
 */
package dev.densify.api;
