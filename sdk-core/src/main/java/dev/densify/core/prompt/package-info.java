/**
 * How the episode so far becomes the policy's prompt, as token ids: the task instruction, an optional system prompt,
 * the last turns (observation, action) and the current observation, in densify's plain format or through the
 * checkpoint's own Jinja chat template, cut to the model's context by a stated rule. Generated action ids are reused
 * as they were sampled, never re-tokenised (see {@link dev.densify.core.prompt.PromptBuilder}).
 */
package dev.densify.core.prompt;
