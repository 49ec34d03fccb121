package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CacheLinesTest {

    /** Byte i holds 1 + i mod 101, never 0, so every read position shows in the sum. */
    private static MemorySegment counting(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (1 + i % 101);
        }
        return MemorySegment.ofArray(bytes);
    }

    @ParameterizedTest(name = "from {0}, stride {1}, {2} runs of {3} in {4}")
    @CsvSource({
        "0, 0, 1, 200, 200", "3, 0, 1, 130, 200", "0, 0, 1, 64, 64", "10, 0, 1, 1, 11", "5, 0, 1, 0, 10",
        "0, 1152, 4, 1152, 4608", "144, 1152, 3, 576, 4608", "700, 1000, 2, 300, 5000", "0, 100, 0, 50, 10"})
    void readsABytePerLineStepOfEachRunAndNothingElse(long from, long stride, int count, long bytes, int size) {
        MemorySegment data = counting(size);
        int expected = 0;
        for (int i = 0; i < count; i++) {
            long start = from + i * stride;
            for (long at = start; at < start + bytes; at += CacheLines.LINE) {
                expected += (int) (1 + at % 101);
            }
        }
        assertThat(CacheLines.touchRuns(data, from, stride, count, bytes)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "from {0}, stride {1}, {2} runs of {3} in {4}")
    @CsvSource({"0, 0, 1, 300, 200", "0, 100, 3, 100, 250", "-1, 0, 1, 10, 200"})
    void aRunPastTheSegmentIsRefusedNotRead(long from, long stride, int count, long bytes, int size) {
        MemorySegment data = counting(size);
        assertThatThrownBy(() -> CacheLines.touchRuns(data, from, stride, count, bytes))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
