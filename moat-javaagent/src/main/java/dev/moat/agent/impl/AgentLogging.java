package dev.moat.agent.impl;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The agent's SLF4J provider (found by the agent's own relocated SLF4J through
 * {@code META-INF/services}; the application's SLF4J and its provider never see it): Moat's log
 * lines (denials, policy warnings, revocation-list changes) go to standard error as
 * {@code moat: [LEVEL] logger: message}, like the agent's own lines. Without it they would be dropped
 * and SLF4J would print its no-provider warning into the application's output. Level
 * {@code info} and above; {@code -Dmoat.agent.log=warn|error|off|debug} changes it.
 */
public final class AgentLogging implements SLF4JServiceProvider {
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    private volatile ILoggerFactory loggers;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        AgentLogger.Threshold threshold = AgentLogger.Threshold.of(System.getProperty("moat.agent.log"));
        java.util.concurrent.ConcurrentHashMap<String, AgentLogger> cache = new java.util.concurrent.ConcurrentHashMap<>();
        loggers = name -> cache.computeIfAbsent(name, n -> new AgentLogger(n, threshold));
    }
}
