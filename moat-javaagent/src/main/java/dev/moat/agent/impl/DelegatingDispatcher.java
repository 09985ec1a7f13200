package dev.moat.agent.impl;

import dev.moat.agent.bootstrap.Dispatcher;

/** A dispatcher that hands every call to the one {@link #delegate()} returns at that moment. */
abstract class DelegatingDispatcher implements Dispatcher {

    /** The dispatcher for this call; throws to refuse it. */
    abstract Dispatcher delegate();

    @Override
    public Object enterToolService(Object request, Object executor, Object context) {
        return delegate().enterToolService(request, executor, context);
    }

    @Override
    public Object exitToolService(Object scope, Object result, Throwable thrown) {
        return delegate().exitToolService(scope, result, thrown);
    }

    @Override
    public Object enterMethod(String target, Object[] args) {
        return delegate().enterMethod(target, args);
    }

    @Override
    public void exitMethod(Object scope, Object result, Throwable thrown) {
        delegate().exitMethod(scope, result, thrown);
    }

    @Override
    public Object enterToolCallback(Object callback, String input) {
        return delegate().enterToolCallback(callback, input);
    }

    @Override
    public void exitToolCallback(Object scope, Object result, Throwable thrown) {
        delegate().exitToolCallback(scope, result, thrown);
    }
}
