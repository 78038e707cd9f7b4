package dev.numbat.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.InvokeDynamicEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every start with the agent loads: the premain class, its prefilter and the constant-pool scan. None of them
 * may name a Byte Buddy type (verifying the class loads the types its methods' signatures name: 18 Byte Buddy
 * interfaces, 7 ms of every start) or bootstrap an {@code invokedynamic} (a lambda or string concatenation starts
 * the JDK's lambda machinery, another 7 ms). Byte Buddy's part lives in {@link JitClassRewriter}, loaded with the
 * first class that has a {@code @Jit} method (docs/agent.md, "Start-up cost").
 */
class PremainClassesTest {
    @Test
    void theClassesEveryStartLoadsNameNoByteBuddyTypeAndBootstrapNoCallSite() throws IOException, ClassNotFoundException {
        for (Class<?> c : List.of(NumbatAgent.class, Class.forName(NumbatAgent.class.getName() + "$Prefilter", false,
                NumbatAgent.class.getClassLoader()), ConstantPoolScan.class)) {
            assertEquals(List.of(), costlyEntries(c), c.getName());
        }
    }

    @Test
    void theRewriterIsWhereByteBuddyIs() throws IOException {
        // The check above would pass on a class file it cannot read: show that it sees Byte Buddy where it is.
        assertTrue(costlyEntries(JitClassRewriter.class).stream().anyMatch(s -> s.contains("net/bytebuddy")));
    }

    private static List<String> costlyEntries(Class<?> c) throws IOException {
        String resource = c.getName().replace('.', '/') + ".class";
        byte[] bytes;
        try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            bytes = in.readAllBytes();
        }
        ClassModel model = ClassFile.of().parse(bytes);
        List<String> found = new ArrayList<>();
        for (PoolEntry e : model.constantPool()) {
            if (e instanceof InvokeDynamicEntry indy) found.add("invokedynamic " + indy.name().stringValue());
            if (e instanceof Utf8Entry u && u.stringValue().contains("net/bytebuddy")) found.add(u.stringValue());
        }
        return found;
    }
}
