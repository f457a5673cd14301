package atoll.build.image;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.attribute.ModuleAttribute;
import java.lang.classfile.attribute.ModuleRequireInfo;
import java.lang.constant.ModuleDesc;
import java.lang.reflect.AccessFlag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Writes tiny modular jars (just a module-info.class) for tests, with the class-file API. */
final class TestModules {

    private TestModules() {}

    static Path jar(Path dir, String name, List<String> requires) throws IOException {
        return jar(dir, name, requires, List.of());
    }

    /** As {@link #jar(Path, String, List)}, with {@code requires static} entries too. */
    static Path jar(Path dir, String name, List<String> requires, List<String> requiresStatic) throws IOException {
        byte[] moduleInfo = ClassFile.of().buildModule(ModuleAttribute.of(ModuleDesc.of(name), m -> {
            // JVMS §4.7.25: every module but java.base requires java.base (ACC_MANDATED).
            m.requires(ModuleRequireInfo.of(ModuleDesc.of("java.base"), AccessFlag.MANDATED.mask(), null));
            for (String r : requires) m.requires(ModuleRequireInfo.of(ModuleDesc.of(r), 0, null));
            for (String r : requiresStatic) m.requires(ModuleRequireInfo.of(ModuleDesc.of(r), AccessFlag.STATIC_PHASE.mask(), null));
        }));
        Files.createDirectories(dir);
        Path jar = dir.resolve(name + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            JarEntry e = new JarEntry("module-info.class");
            e.setLastModifiedTime(FileTime.fromMillis(0));
            j.putNextEntry(e);
            j.write(moduleInfo);
            j.closeEntry();
        }
        return jar;
    }
}
