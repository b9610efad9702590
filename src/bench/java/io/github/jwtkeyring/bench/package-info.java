/**
 * JMH microbenchmarks of the key ring, built and run only by the {@code bench} Maven profile
 * ({@code ./mvnw -Pbench package && java -jar target/benchmarks.jar}; see {@code BENCHMARKS-jmh.md}).
 * <p>
 * Each benchmark constructs the domain objects directly, as the unit tests do: no Quarkus container, no store on disk,
 * and time from a fixed {@link java.time.InstantSource}. May depend on every package of the project, on SmallRye JWT
 * and jose4j (the baselines) and on JMH; nothing depends on it.
 */
package io.github.jwtkeyring.bench;
