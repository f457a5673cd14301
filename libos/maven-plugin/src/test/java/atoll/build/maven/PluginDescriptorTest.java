package atoll.build.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The contract a pom sees, as Maven reads it from the generated descriptor
 * (META-INF/maven/plugin.xml): goal {@code image} bound to {@code package}, runtime dependencies
 * resolved, and only the main module and main class required without a default.
 */
class PluginDescriptorTest {

    @Test
    void goalImageAtPackageNeedsOnlyMainModuleAndMainClass() throws Exception {
        Document d;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/maven/plugin.xml")) {
            assertNotNull(in, "no plugin descriptor: maven-plugin-plugin's descriptor goal did not run");
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            d = f.newDocumentBuilder().parse(in);
        }
        assertEquals("atoll", text(d.getDocumentElement(), "goalPrefix"));
        NodeList mojos = d.getElementsByTagName("mojo");
        assertEquals(1, mojos.getLength());
        Element mojo = (Element) mojos.item(0);
        assertEquals("image", text(mojo, "goal"));
        assertEquals("package", text(mojo, "phase"));
        assertEquals("runtime", text(mojo, "requiresDependencyResolution"));

        Map<String, Boolean> required = new HashMap<>();
        NodeList params = mojo.getElementsByTagName("parameter");
        for (int i = 0; i < params.getLength(); i++) {
            Element p = (Element) params.item(i);
            required.put(text(p, "name"), Boolean.parseBoolean(text(p, "required")));
        }
        // Required with no default: what an appliance must say. Everything else defaults from the project.
        Map<String, String> defaults = new HashMap<>();
        NodeList config = ((Element) mojo.getElementsByTagName("configuration").item(0)).getChildNodes();
        for (int i = 0; i < config.getLength(); i++) {
            if (config.item(i) instanceof Element e) defaults.put(e.getTagName(), e.getAttribute("default-value"));
        }
        for (Map.Entry<String, Boolean> p : required.entrySet()) {
            boolean hasDefault = !defaults.getOrDefault(p.getKey(), "").isEmpty();
            boolean mustBeGiven = p.getValue() && !hasDefault;
            assertEquals(p.getKey().equals("mainModule") || p.getKey().equals("mainClass"), mustBeGiven, p.getKey());
        }
        assertEquals("${project.artifactId}", defaults.get("name"));
        assertEquals("socket", defaults.get("targets"));
    }

    private static String text(Element parent, String child) {
        NodeList l = parent.getElementsByTagName(child);
        return l.getLength() == 0 ? "" : l.item(0).getTextContent().strip();
    }
}
