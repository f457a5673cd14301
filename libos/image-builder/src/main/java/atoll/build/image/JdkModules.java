package atoll.build.image;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JDK modules an appliance needs: the closure of {@code requires} of its modules, kept to
 * those the running JDK provides. Exact, since every Atoll module is an explicit named module;
 * no bytecode scanning (jdeps) is needed.
 */
public final class JdkModules {

    private JdkModules() {}

    /** What resolution found: the appliance's modules and the JDK modules they need, both sorted. */
    public record Resolution(List<String> appModules, List<String> jdkModules) {}

    /**
     * Resolves from {@code mainModule} through every module on {@code modulePath} (all of them are
     * roots: a target is found through {@code uses}/{@code provides}, not {@code requires}).
     *
     * @param extra JDK modules to add although nothing requires them (e.g. service providers)
     * @throws IllegalArgumentException naming a module that is required but found nowhere
     */
    public static Resolution resolve(List<Path> modulePath, String mainModule, List<String> extra) {
        ModuleFinder app = ModuleFinder.of(modulePath.toArray(Path[]::new));
        ModuleFinder jdk = ModuleFinder.ofSystem();
        Set<String> appNames = new TreeSet<>();
        for (ModuleReference ref : app.findAll()) appNames.add(ref.descriptor().name());
        if (!appNames.contains(mainModule)) {
            throw new IllegalArgumentException("main module " + mainModule + " is not on the module path " + modulePath
                    + " (found " + appNames + ")");
        }
        Set<String> jdkNames = new TreeSet<>();
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(appNames);
        for (String m : extra) {
            if (jdk.find(m).isEmpty()) throw new IllegalArgumentException("--add-jdk-modules: no JDK module " + m);
            todo.add(m);
        }
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (!seen.add(name)) continue;
            Optional<ModuleReference> ref = app.find(name);
            if (ref.isEmpty()) {
                ref = jdk.find(name);
                if (ref.isEmpty()) throw new IllegalArgumentException("module " + name + " is required but is neither on the module path nor in the JDK");
                jdkNames.add(name);
            }
            for (ModuleDescriptor.Requires r : ref.get().descriptor().requires()) {
                // 'requires static' is compile-time only: the runtime does not resolve it.
                if (r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) continue;
                todo.add(r.name());
            }
        }
        return new Resolution(List.copyOf(appNames), List.copyOf(jdkNames));
    }
}
