import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.*;

/** How long an append plus a forced write takes on this disk (issue 16): java src/bench/http/ForceCost.java <file>. */
public class ForceCost {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long[] times = new long[2000];
            for (int i = 0; i < times.length; i++) {
                ByteBuffer record = ByteBuffer.allocate(400);
                long start = System.nanoTime();
                channel.write(record, channel.size());
                channel.force(false);
                times[i] = System.nanoTime() - start;
            }
            java.util.Arrays.sort(times);
            System.out.printf("append + force(false) of 400 bytes, %d times: median %.2f ms, p90 %.2f ms, p99 %.2f ms%n",
                    times.length, times[times.length / 2] / 1e6, times[times.length * 9 / 10] / 1e6,
                    times[times.length * 99 / 100] / 1e6);
        }
        Files.delete(file);
    }
}
