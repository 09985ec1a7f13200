/** JMH benchmarks for Moat; run with {@code java -jar moat-bench/target/benchmarks.jar}. */
package dev.moat.bench;
