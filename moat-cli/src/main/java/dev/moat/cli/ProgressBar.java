package dev.moat.cli;

import java.io.PrintWriter;

/** A one-line progress bar on stderr, redrawn at most every 100 ms. */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;
    private final PrintWriter err;
    private final String label;
    private final long total;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintWriter err, String label, long total) {
        this.err = err;
        this.label = label;
        this.total = Math.max(1, total);
    }

    void update(long done) {
        long now = System.nanoTime();
        if (drawn && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        draw(done);
    }

    /** Draws the final state and ends the line. */
    void finish(long done) {
        draw(done);
        err.println();
        err.flush();
    }

    private void draw(long done) {
        long shown = Math.min(done, total);
        int filled = (int) (shown * WIDTH / total);
        int percent = (int) (shown * 100 / total);
        err.printf("\r%s [%s%s] %3d%%  %,d / %,d entries", label, "#".repeat(filled), "-".repeat(WIDTH - filled), percent, done, total);
        err.flush();
        drawn = true;
    }
}
