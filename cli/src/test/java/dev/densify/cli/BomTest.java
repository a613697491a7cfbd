package dev.densify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The BOM lists every library artifact of the build, at the build's version. */
class BomTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();

    private static Document read(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }

    private static String child(Element parent, String name) {
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return "";
    }

    @Test
    void theBomNamesEveryLibraryAtTheBuildsVersion() throws Exception {
        String version = child(read(ROOT.resolve("pom.xml")).getDocumentElement(), "version");
        Set<String> libraries = new TreeSet<>();
        try (Stream<Path> poms = Files.walk(ROOT, 3)) {
            for (Path pom : poms.filter(p -> p.getFileName().toString().equals("pom.xml")).toList()) {
                Element project = read(pom).getDocumentElement();
                String packaging = child(project, "packaging");
                String artifact = child(project, "artifactId");
                if (!pom.toString().contains("/src/") && !packaging.equals("pom") && !artifact.equals("densify-cli")) {
                    libraries.add(artifact + ":" + version);
                }
            }
        }
        Set<String> listed = new TreeSet<>();
        NodeList dependencies = read(ROOT.resolve("bom/pom.xml")).getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element d = (Element) dependencies.item(i);
            listed.add(child(d, "artifactId") + ":" + child(d, "version"));
        }
        assertEquals(libraries, listed);
    }
}
