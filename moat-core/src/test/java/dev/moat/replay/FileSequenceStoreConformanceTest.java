package dev.moat.replay;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileSequenceStoreConformanceTest extends SequenceStoreConformance {
    @TempDir
    Path dir;

    @Override
    protected SequenceStore fresh() {
        return FileSequenceStore.open(dir);
    }

    @Override
    protected SequenceStore another(SequenceStore previous) {
        return FileSequenceStore.open(dir);
    }
}
