import java.util.ArrayList;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

// Leaks zlib state in native memory: Deflaters and Inflaters that are never
// end()ed.  deflateInit2_ allocates each Deflater's state; an Inflater's
// window is allocated by zlib's internal updatewindow() on first inflate().
public class DeflaterLeak {
  static final ArrayList<Deflater> deflaters = new ArrayList<>();
  static final ArrayList<Inflater> inflaters = new ArrayList<>();

  public static void main(String[] args) throws DataFormatException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    byte[] input = new byte[4096];
    byte[] packed = new byte[8192];
    byte[] out = new byte[8192];
    for (int i = 0; i < n; i++) {
      int len = leakDeflater(input, packed);
      if (i % 3 == 0) leakInflater(packed, len, out);
    }
    System.out.println("kept " + deflaters.size() + " deflaters, " + inflaters.size() + " inflaters");
  }

  // One method per leak, called hundreds of times, so that the JIT compiles
  // them: recorded with -XX:+PreserveFramePointer and a perf map, they are
  // Java frames with names (jvm_perf_map_test.cc).
  static int leakDeflater(byte[] input, byte[] packed) {
    Deflater d = new Deflater();
    d.setInput(input);
    d.finish();
    int len = d.deflate(packed);
    deflaters.add(d);
    return len;
  }

  static void leakInflater(byte[] packed, int len, byte[] out) throws DataFormatException {
    Inflater inf = new Inflater();
    inf.setInput(packed, 0, len);
    inf.inflate(out);
    inflaters.add(inf);
  }
}
