package io.github.eventsstats.cache;

/**
 * A question the API answers, as the {@link AnswerCache} keys it: a record (ArchitectureTest holds
 * that) of everything its answer of type {@code T} depends on, so that two questions are one key
 * exactly when every parameter is equal, and a parameter added to the question is in its key too.
 * The computation is handed the record, so that the parameters it reads are the key's.
 *
 * <p>What a query leaves out on purpose is a window relative to "now" (the last D days, the current
 * hour): the time asked is read when the answer is computed. Were it in the key, every second would
 * be a new question and no answer would ever be served twice; instead the answer is served with the
 * "now" it was computed at, at most the cache's TTL ago, as {@link AnswerCache} says.
 */
public interface Query<T> {
}
