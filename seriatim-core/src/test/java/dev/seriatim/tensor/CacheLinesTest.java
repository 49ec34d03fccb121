package dev.seriatim.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CacheLinesTest {

    /** Byte i holds i mod 101 (so every read position shows in the sum). */
    private static MemorySegment counting(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i % 101);
        }
        return MemorySegment.ofArray(bytes);
    }

    @ParameterizedTest(name = "from {0}, {1} bytes of {2}")
    @CsvSource({"0, 200, 200", "3, 130, 200", "0, 64, 64", "10, 1, 11", "5, 0, 10", "0, 4096, 5000", "700, 4300, 5000"})
    void readsTheFirstByteOfEveryLineStepAndNothingPastTheRun(long from, long bytes, int size) {
        MemorySegment data = counting(size);
        int expected = 0;
        for (long at = from; at < from + bytes; at += CacheLines.LINE) {
            expected += (int) (at % 101);
        }
        assertThat(CacheLines.touch(data, from, bytes)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "from {0}, {1} bytes of {2}")
    @CsvSource({"0, 300, 200", "150, 100, 200", "-1, 10, 200"})
    void aLineStepOutsideTheSegmentIsRefusedNotRead(long from, long bytes, int size) {
        MemorySegment data = counting(size);
        assertThatThrownBy(() -> CacheLines.touch(data, from, bytes)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
