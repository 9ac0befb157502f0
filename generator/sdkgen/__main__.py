from sdkgen.cli import main

main()
