"""Every customer flow end to end in en (see flows.py)."""
import flows

if __name__ == "__main__":
    flows.main("en")
