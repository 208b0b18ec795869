package org.spireoperator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A gzip stream pushed in chunks cut anywhere inflates to exactly what was compressed, whatever
 * optional header fields it carries and however many members it has; a stream that is not gzip, is
 * corrupt, or whose trailer does not match what was inflated is refused.
 */
class GunzipTest {

  private static final byte[] TEXT = podListLikeText();

  private static byte[] podListLikeText() {
    StringBuilder s = new StringBuilder("{\"kind\":\"PodList\",\"items\":[");
    for (int i = 0; i < 3_000; i++) {
      s.append("{\"metadata\":{\"name\":\"pod-")
          .append(i)
          .append("\",\"namespace\":\"bench\",\"uid\":\"")
          .append(new java.util.UUID(i, ~i))
          .append("\"}},");
    }
    return s.append("{}]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Pushes {@code stream} cut into chunks of {@code size} bytes; returns what came out. */
  private static byte[] inflate(Gunzip gunzip, byte[] stream, int size) throws ZipException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int at = 0; at < stream.length; at += size) {
      int n = Math.min(size, stream.length - at);
      for (ByteBuffer b : gunzip.push(ByteBuffer.wrap(stream, at, n))) {
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        out.writeBytes(bytes);
      }
    }
    return out.toByteArray();
  }

  private static byte[] inflate(byte[] stream, int size) throws ZipException {
    return inflate(new Gunzip(), stream, size);
  }

  @ParameterizedTest(name = "chunks of {0} bytes")
  @ValueSource(ints = {1, 2, 7, 10, 11, 4096, 16_384, Integer.MAX_VALUE})
  void aStreamCutAnywhereInflatesToWhatWasCompressed(int chunk) throws ZipException {
    assertThat(inflate(GzipBytes.of(TEXT), chunk)).isEqualTo(TEXT);
  }

  @Test
  void chunksOfRandomSizesInflateToWhatWasCompressed() throws ZipException {
    byte[] stream = GzipBytes.of(TEXT);
    Random random = new Random(42);
    Gunzip gunzip = new Gunzip();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int at = 0; at < stream.length; ) {
      int n = Math.min(1 + random.nextInt(300), stream.length - at);
      gunzip
          .push(ByteBuffer.wrap(stream, at, n))
          .forEach(
              b -> {
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                out.writeBytes(bytes);
              });
      at += n;
    }
    assertThat(out.toByteArray()).isEqualTo(TEXT);
  }

  @ParameterizedTest(name = "chunks of {0} bytes")
  @ValueSource(ints = {1, 3, 1024})
  void everyOptionalHeaderFieldIsSkipped(int chunk) throws ZipException {
    assertThat(inflate(withEveryHeaderField(TEXT), chunk)).isEqualTo(TEXT);
  }

  @Test
  void membersOneAfterTheOtherInflateToTheirConcatenation() throws ZipException {
    byte[] first = "first member, ".getBytes(StandardCharsets.UTF_8);
    assertThat(inflate(concat(GzipBytes.of(first), GzipBytes.of(TEXT)), 5))
        .isEqualTo(concat(first, TEXT));
  }

  @Test
  void anEmptyPayloadInflatesToNothing() throws ZipException {
    assertThat(inflate(GzipBytes.of(new byte[0]), 3)).isEmpty();
  }

  @Test
  void aWholeStreamIsComplete() throws ZipException {
    Gunzip gunzip = new Gunzip();
    inflate(gunzip, GzipBytes.of(TEXT), 100);
    assertThat(gunzip.complete()).isTrue();
  }

  @Test
  void aStreamCutBeforeItsTrailerIsNotComplete() throws ZipException {
    byte[] stream = GzipBytes.of(TEXT);
    Gunzip gunzip = new Gunzip();
    inflate(gunzip, Arrays.copyOf(stream, stream.length - 4), 100);
    assertThat(gunzip.complete()).isFalse();
  }

  @Test
  void aBodyThatIsNotGzipIsRefused() {
    assertThatThrownBy(() -> inflate("{\"kind\":\"PodList\"}".getBytes(StandardCharsets.UTF_8), 64))
        .isInstanceOf(ZipException.class)
        .hasMessageContaining("not in gzip format");
  }

  @Test
  void anotherCompressionMethodIsRefused() {
    byte[] stream = GzipBytes.of(TEXT);
    stream[2] = 7;
    assertThatThrownBy(() -> inflate(stream, 64))
        .isInstanceOf(ZipException.class)
        .hasMessageContaining("compression method 7");
  }

  @Test
  void reservedFlagsAreRefused() {
    byte[] stream = GzipBytes.of(TEXT);
    stream[3] = (byte) 0x20;
    assertThatThrownBy(() -> inflate(stream, 64))
        .isInstanceOf(ZipException.class)
        .hasMessageContaining("reserved gzip flags");
  }

  @Test
  void corruptDataIsRefused() {
    byte[] stream = GzipBytes.of(TEXT);
    for (int i = 10; i < 40; i++) {
      stream[i] = (byte) 0xFF;
    }
    assertThatThrownBy(() -> inflate(stream, 64))
        .isInstanceOf(ZipException.class)
        .hasMessageContaining("corrupt gzip data");
  }

  @Test
  void aTrailerWhoseCrcDiffersIsRefused() {
    byte[] stream = GzipBytes.of(TEXT);
    stream[stream.length - 8] ^= 1;
    assertThatThrownBy(() -> inflate(stream, 64))
        .isInstanceOf(ZipException.class)
        .hasMessageContaining("CRC-32 mismatch");
  }

  @Test
  void aTrailerWhoseLengthDiffersIsRefused() {
    byte[] stream = GzipBytes.of(TEXT);
    stream[stream.length - 4] ^= 1;
    assertThatThrownBy(() -> inflate(stream, 64))
        .isInstanceOf(ZipException.class)
        .hasMessageContaining("length mismatch");
  }

  @Test
  void bytesAfterTheLastMemberThatAreNotGzipAreRefused() {
    byte[] stream =
        concat(
            GzipBytes.of(TEXT),
            "trailing garbage after the stream".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> inflate(stream, 64))
        .isInstanceOf(ZipException.class)
        .hasMessageContaining("not in gzip format");
  }

  /**
   * A gzip member with an extra field, a file name, a comment and a header CRC (flags 0x1E), as RFC
   * 1952 allows and {@link java.util.zip.GZIPOutputStream} never writes.
   */
  private static byte[] withEveryHeaderField(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x1F, (byte) 0x8B, 8, 0x1E, 0, 0, 0, 0, 0, (byte) 0xFF});
    byte[] extra = "ab\u0003\u0000xyz".getBytes(StandardCharsets.ISO_8859_1);
    out.write(extra.length);
    out.write(0);
    out.writeBytes(extra);
    out.writeBytes("podlist.json\0".getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(new byte[] {0x12, 0x34});
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(data);
    deflater.finish();
    byte[] buf = new byte[8192];
    while (!deflater.finished()) {
      out.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    CRC32 crc = new CRC32();
    crc.update(data);
    writeLe32(out, crc.getValue());
    writeLe32(out, data.length);
    return out.toByteArray();
  }

  private static void writeLe32(ByteArrayOutputStream out, long v) {
    for (int i = 0; i < 4; i++) {
      out.write((int) (v >>> (8 * i)) & 0xFF);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
