package dev.moat.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.guard.DecisionObserver;
import dev.moat.guard.GuardEvent;
import dev.moat.guard.ObserverProvider;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The provider is found on the class path, and adds nothing (loading no OpenTelemetry class) when the API is absent. */
@Timeout(30)
class TelemetryProviderTest {

    @Test
    void policyStartedRuntimesFindTheProviderWhichBindsToTheGlobalOnlyOnceItIsSet() {
        io.opentelemetry.api.GlobalOpenTelemetry.resetForTest();
        try {
            DecisionObserver o = ObserverProvider.discover().get(0);
            assertThat(ObserverProvider.discover()).singleElement().isInstanceOf(GlobalTelemetry.class);
            GuardEvent event = new GuardEvent("agent:a", "tool://x", "execute", GuardEvent.Outcome.ALLOWED, null, null, null, "m", 10);
            o.onDecision(event); // no global yet: dropped, and the global is left unset for the application
            assertThat(io.opentelemetry.api.GlobalOpenTelemetry.isSet()).isFalse();
            InMemorySpanExporter spans = InMemorySpanExporter.create();
            io.opentelemetry.api.GlobalOpenTelemetry.set(OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build());
            o.onDecision(event);
            assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(s -> assertThat(s.getName()).isEqualTo("moat.guard x"));
        } finally {
            io.opentelemetry.api.GlobalOpenTelemetry.resetForTest();
        }
    }

    /** Hides io.opentelemetry.* from everything it loads. */
    private static final class WithoutOpenTelemetry extends URLClassLoader {
        WithoutOpenTelemetry(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.opentelemetry.")) {
                throw new ClassNotFoundException(name);
            }
            if (name.startsWith("dev.moat.opentelemetry.")) { // this module's classes: defined here, child first
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null) {
                        c = findClass(name);
                    }
                    return c;
                }
            }
            return super.loadClass(name, resolve);
        }
    }

    @Test
    void withoutTheApiOnTheClassPathTheProviderAddsNothing() throws Exception {
        URL classes = TelemetryProvider.class.getProtectionDomain().getCodeSource().getLocation();
        try (WithoutOpenTelemetry loader = new WithoutOpenTelemetry(new URL[] {classes}, getClass().getClassLoader())) {
            Class<?> provider = loader.loadClass(TelemetryProvider.class.getName());
            assertThat(provider.getClassLoader()).isSameAs(loader);
            assertThat(loader.loadClass("dev.moat.guard.ObserverProvider")).isSameAs(ObserverProvider.class);
            ObserverProvider p = (ObserverProvider) provider.getDeclaredConstructor().newInstance();
            assertThat(p.create()).isNull();
            assertThat(TelemetryProvider.apiPresent(loader)).isFalse();
        }
        assertThat(TelemetryProvider.apiPresent(getClass().getClassLoader())).isTrue();
    }
}
